import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

// The start script's data directory: what is bound to one chain, and the secrets it keeps between starts.

/** Removes what belongs to the previous chain (its deployment and the stores that reference it). */
export function resetChainBoundState(dataDir: string): void {
  for (const name of [
    "deployment.json",
    "oms.sqlite",
    "oms.sqlite-wal",
    "oms.sqlite-shm",
    "runner.sqlite",
    "runner.sqlite-wal",
    "runner.sqlite-shm",
  ]) {
    rmSync(path.join(dataDir, name), { force: true });
  }
}

/** The secret in `file`, made (32 random bytes, owner-only) on the first start. */
export function readOrCreateSecret(file: string): string {
  if (existsSync(file) && statSync(file).size > 0) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
