import { afterAll, beforeAll, describe } from "vitest";
import { devAccount } from "../../../lib/chain/dev-accounts";
import type { ManifestVault } from "../../../lib/deployment/manifest";
import type { Dialect } from "../../store/db";
import { DIALECTS } from "../../store/test-support/databases";
import { type OmsWorld, poll, startOmsWorld } from "./oms-world";

export const MANAGER_ONE = devAccount(1).address; // primary of ALPHA, BETA, DELTA (EIP4337), EPSILON (EIP4337_COMPANION)
export const MANAGER_TWO = devAccount(2).address; // primary of GAMMA and ZETA (EIP7702), secondary of ALPHA
export const VIEWER = devAccount(3).address; // VIEW_ONLY on ALPHA
export const OUTSIDER = devAccount(5).address;

/**
 * One describe block per dialect, each over its own OMS world (`startOmsWorld`), started before the block's tests
 * and stopped after them. `tests` registers the block's tests and any further hooks (they run after the world has
 * started); `w` stands for the block's world from then on, and throws if touched before.
 */
export function describeOmsWorlds(title: string, tests: (w: OmsWorld, dialect: Dialect) => void): void {
  describe.each(DIALECTS)(`${title} on %s`, (dialect) => {
    let started: OmsWorld | undefined;
    const w = new Proxy({} as OmsWorld, {
      get(_, key) {
        if (started === undefined) throw new Error("the OMS world starts in beforeAll: use it in a hook or a test");
        return Reflect.get(started, key);
      },
    });
    beforeAll(async () => {
      started = await startOmsWorld(dialect);
    });
    afterAll(async () => {
      await started?.stop();
    });
    tests(w, dialect);
  });
}

export function vaultBySymbol(w: OmsWorld, symbol: string): ManifestVault {
  const vault = w.manifest.vaults.find((candidate) => candidate.symbol === symbol);
  if (vault === undefined) throw new Error(`the dev world has no vault ${symbol}`);
  return vault;
}

/** The vault's session key, granted by its primary (manager one sends the grant) and reported ready. */
export async function grantSessionKey(w: OmsWorld, vault: ManifestVault): Promise<void> {
  const base = `/defix/vaults/${vault.vault_id}/session-key`;
  const grant = await w.api("GET", `${base}/grant`, MANAGER_ONE);
  await w.sendAs(1, grant.body);
  await poll(async () => ((await w.api("GET", `${base}/readiness`, VIEWER)).body.is_ready ? true : null), "readiness");
}
