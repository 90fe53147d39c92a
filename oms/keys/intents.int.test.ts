import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { World } from "../../contracts/test/fixture";
import type { Intent, IntentEvent, IntentState } from "../../lib/defix";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { IntentCore } from "../core/intent-service";
import { depositIntent } from "../domain/test-support/intents";
import type { SessionKeyService } from "./service";
import { type EngineWorld, startEngineWorld } from "./test-support/engine-world";
import { sendPrepared } from "./test-support/harness";

/** The "Done when" walk with the real engine: intents sign with whatever key the OMS holds and the chain honours. */
let env: EngineWorld;
let world: World;
let alpha: ManifestVault;
let keys: SessionKeyService;
let intents: IntentCore;
let depositCount = 0;

beforeAll(async () => {
  env = await startEngineWorld();
  ({ world, alpha, keys, intents } = env);
});
afterAll(async () => env?.stop());

const manager = () => ({ subject: world.accounts.managerOne.address.toLowerCase() });

async function waitFor(id: string, isDone: (intent: Intent) => boolean, timeoutMs = 20_000): Promise<Intent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const intent = await intents.get(id);
    if (intent && isDone(intent)) return intent;
    if (Date.now() > deadline) throw new Error(`intent ${id} stuck in ${intent?.state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A distinct deposit each time, so submit idempotency never hands back an earlier intent. */
async function deposit(ttlSeconds = 600): Promise<string> {
  depositCount += 1;
  const input = depositIntent(alpha, {
    source: world.manifest.contracts.yield_sources[0]?.address,
    sizeExpr: String(1_000_000 + depositCount),
    strategyId: "session-key-test",
    ttlSeconds,
  });
  const { intent } = await intents.submit(input, { subject: "svc:strategy-runner", kind: "service" });
  return intent.id;
}

async function waitForEvent(id: string, messageType: string, timeoutMs = 20_000): Promise<IntentEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await intents.events(id, 0, 100)).find((event) => event.message_type === messageType);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`intent ${id} never emitted ${messageType}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function signerOf(id: string): Promise<string | undefined> {
  const attempts = await intents.attempts(id);
  return attempts[0]?.signer.toLowerCase();
}

const isTerminal = (intent: Intent) =>
  (["COMPLETED", "FAILED", "ABORTED", "EXPIRED", "CANCELED"] as IntentState[]).includes(intent.state);

describe("intents and session keys", () => {
  it("executes with the granted key, then with the rotated key, and stops after a revoke", async () => {
    const granted = await keys.prepareGrant(alpha.vault_id, undefined, manager());
    await sendPrepared(world, granted);
    const first = await waitFor(await deposit(), isTerminal);
    expect(first.state).toBe("COMPLETED");
    expect(await signerOf(first.id)).toBe(granted.session_key_address);

    const rotation = await keys.prepareRotation(alpha.vault_id, undefined, manager());
    await sendPrepared(world, rotation);
    await keys.completeRotation(alpha.vault_id, manager());
    const second = await waitFor(await deposit(), isTerminal);
    expect(second.state).toBe("COMPLETED");
    expect(await signerOf(second.id)).toBe(rotation.session_key_address);

    await sendPrepared(world, await keys.prepareRevoke(alpha.vault_id, manager()));
    const waiting = await deposit(30);
    const waitEvent = await waitForEvent(waiting, "WAITING");
    expect(waitEvent.payload).toMatchObject({ reason: "SESSION_KEY_NOT_READY", readiness_reason: "REVOKED" });
    expect((await intents.get(waiting))?.state).toBe("ACKED");
    expect(await intents.attempts(waiting)).toEqual([]);
  });
});
