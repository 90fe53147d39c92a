"use client";

import { createContext, type ReactNode, useContext, useMemo } from "react";

const Context = createContext<ReadonlyMap<string, string>>(new Map());

/**
 * The names of the vaults the user holds a role on (from the app shell's navigation data), for views
 * outside any page's chain context: the alert bell in the top bar, the alerts page.
 */
export function VaultNamesProvider({
  vaults,
  children,
}: {
  vaults: readonly { vault_id: string; name: string }[];
  children: ReactNode;
}) {
  const names = useMemo(() => new Map(vaults.map((vault) => [vault.vault_id.toLowerCase(), vault.name])), [vaults]);
  return <Context.Provider value={names}>{children}</Context.Provider>;
}

function label(names: ReadonlyMap<string, string>, vaultId: string): { name: string; isKnown: boolean } {
  const name = names.get(vaultId.toLowerCase());
  if (name !== undefined) return { name, isKnown: true };
  const address = vaultId.split(":")[1] ?? vaultId;
  return { name: `${address.slice(0, 10)}…`, isKnown: false };
}

/** The vault's name, or its shortened address when the shell does not know it. */
export function useVaultName(vaultId: string): { name: string; isKnown: boolean } {
  return label(useContext(Context), vaultId);
}

/** `useVaultName` for lists: a function from vault id to its label. */
export function useVaultNames(): (vaultId: string) => string {
  const names = useContext(Context);
  return (vaultId) => label(names, vaultId).name;
}
