import { type Address, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { World } from "../../contracts/test/fixture";
import type { Intent, IntentEvent } from "../../lib/defix";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { ChainGateway } from "../chain/gateway";
import { signExecutionTx } from "../chain/signing";
import type { IntentCore } from "../core/intent-service";
import { depositIntent } from "../domain/test-support/intents";
import type { SessionKeyService } from "./service";
import { type EngineWorld, startEngineWorld } from "./test-support/engine-world";
import { sendPrepared } from "./test-support/harness";

/**
 * A session key that runs out of gas money is a visible state (readiness INSUFFICIENT_GAS) and intents
 * wait for it without signing, instead of taking a nonce the node refuses and stalling every later one.
 */
let env: EngineWorld;
let world: World;
let alpha: ManifestVault;
let chain: ChainGateway;
let keys: SessionKeyService;
let intents: IntentCore;

beforeAll(async () => {
  env = await startEngineWorld();
  ({ world, alpha, chain, keys, intents } = env);
});
afterAll(async () => env?.stop());

async function poll<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await read();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const eventsOf = (id: string): Promise<IntentEvent[]> => intents.events(id, 0, 100);

describe("a session key without gas money", () => {
  it("reports INSUFFICIENT_GAS, holds intents without a transaction, and resumes once funded", async () => {
    const granted = await keys.prepareGrant(alpha.vault_id, undefined, {
      subject: world.accounts.managerOne.address.toLowerCase(),
    });
    await sendPrepared(world, granted);
    const key = granted.session_key_address as Address;
    expect(await keys.readiness(alpha.vault_id)).toMatchObject({
      is_ready: true,
      reason: null,
      balance_wei: granted.value,
    });

    await world.testClient.setBalance({ address: key, value: 1_000n });
    expect(await keys.readiness(alpha.vault_id)).toMatchObject({
      is_ready: false,
      reason: "INSUFFICIENT_GAS",
      session_key_address: key,
      balance_wei: "1000",
    });
    expect(await keys.signerFor(alpha.vault_id)).toBeNull();

    const submission = depositIntent(alpha, {
      source: world.manifest.contracts.yield_sources[0]?.address,
      sizeExpr: "1000000",
      strategyId: "session-key-test",
      ttlSeconds: 600,
    });
    const { intent } = await intents.submit(submission, { subject: "svc:strategy-runner", kind: "service" });
    const waiting = await poll("WAITING", async () =>
      (await eventsOf(intent.id)).find((event) => event.message_type === "WAITING"),
    );
    expect(waiting.payload).toMatchObject({ reason: "SESSION_KEY_NOT_READY", readiness_reason: "INSUFFICIENT_GAS" });
    // Several retry rounds pass without a signature, a nonce or a second WAITING event.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await intents.get(intent.id))?.state).toBe("ACKED");
    expect(await intents.attempts(intent.id)).toEqual([]);
    expect(await chain.pendingNonce(key)).toBe(0);

    await world.testClient.setBalance({ address: key, value: parseEther("1") });
    const done = await poll("a terminal state", async (): Promise<Intent | undefined> => {
      const current = await intents.get(intent.id);
      return current && ["COMPLETED", "FAILED", "ABORTED", "EXPIRED"].includes(current.state) ? current : undefined;
    });
    expect(done.state).toBe("COMPLETED");
    const attempts = await intents.attempts(intent.id);
    expect(attempts.map((attempt) => attempt.signer.toLowerCase())).toEqual([key]);
    const events = await eventsOf(intent.id);
    expect(events.filter((event) => event.message_type === "WAITING")).toHaveLength(1);
    expect(await keys.readiness(alpha.vault_id)).toMatchObject({ is_ready: true, reason: null });
  });

  it("labels the node's refusal of an unfunded sender INSUFFICIENT_FUNDS", async () => {
    const broke = privateKeyToAccount(generatePrivateKey());
    const fees = await chain.fees();
    const { raw } = await signExecutionTx(broke, {
      chainId: chain.chainId,
      to: world.manifest.contracts.executor,
      data: "0x",
      gas: 100_000n,
      nonce: 0,
      fees,
    });
    expect(await chain.sendRaw(raw)).toMatchObject({ kind: "rejected", code: "INSUFFICIENT_FUNDS" });
  });
});
