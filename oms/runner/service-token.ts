import { issueOmsToken } from "../../lib/auth/issuer";
import type { TokenSource } from "./oms-client";

export const RUNNER_SUBJECT = "svc:strategy-runner";
const TTL_SECONDS = 600;
/** Re-issue this long before expiry so a request never carries a token that lapses in flight. */
const REFRESH_MARGIN_MS = 60_000;

/** The runner's service token, signed by the embedded issuer in DATA_DIR, cached until close to expiry. */
export function serviceTokenSource(options: { dataDir: string; vaultIds: readonly string[] }): TokenSource {
  let current: { token: string; expiresAt: number } | null = null;
  return async () => {
    if (current && current.expiresAt - Date.now() > REFRESH_MARGIN_MS) return current.token;
    const issued = await issueOmsToken({
      subject: RUNNER_SUBJECT,
      ttlSeconds: TTL_SECONDS,
      claims: { svc_vaults: [...options.vaultIds] },
      dataDir: options.dataDir,
    });
    current = { token: issued.token, expiresAt: issued.expiresAt.getTime() };
    return current.token;
  };
}
