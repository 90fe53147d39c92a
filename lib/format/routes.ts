/** Links into the console's own pages, built in one place (every id is one encoded path segment). */
export const canvasHref = (vaultId: string): string => `/vaults/${encodeURIComponent(vaultId)}/canvas`;

export const intentHref = (intentId: string): string => `/intents/${encodeURIComponent(intentId)}`;

export const costsHref = (vaultId: string): string => `/vaults/${encodeURIComponent(vaultId)}/costs`;
