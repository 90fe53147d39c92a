import type { Address, Hex } from "viem";
import { afterEach, describe, expect, it } from "vitest";
import { nonceKeyOf, type SignedUserOp, type UserOpGateway, type UserOpReceipt } from "../chain/user-ops";
import { createIntentService, type IntentCore } from "../core/intent-service";
import { submission } from "../domain/test-support/intents";
import { createOmsDb } from "../migrations";
import type { Db } from "../store/db";
import { FakeChain } from "./test-support/fake-chain";
import { fakeManifest, switchableKeys } from "./test-support/fake-world";
import { workOnce } from "./workers";

/**
 * The user-operation path of one module (oms/engine/user-op.ts) against a scripted bundler: what an operator sees
 * when the bundler refuses the op, when the op is included but its execution reverts, and that the op carries the
 * intent's own EntryPoint nonce key. The real path (alto, anvil, both 4337 modes) is account-mode-4337.int.test.ts.
 */

const ENTRY_POINT = "0x4337084d9e255ff0702461cf8895ce9e3b5ff108" as Address;
const base = fakeManifest();
const vault = { ...base.vaults[0]!, account_mode: "EIP4337" as const, key_holder: base.vaults[0]!.address };
const manifest = { ...base, contracts: { ...base.contracts, entry_point: ENTRY_POINT }, vaults: [vault] };

/** Real time past the engine's shared head (read at most every 50 ms), so the next round sees a new block. */
const pastHeadCache = () => new Promise((resolve) => setTimeout(resolve, 60));

/** The bundler's receipt of an op included in block 7: its execution succeeded or reverted; the account paid 300000 wei. */
const included = (success: boolean): Omit<UserOpReceipt, "hookExecutions"> => ({
  success,
  actualGasCost: 300_000n,
  actualGasUsed: 100_000n,
  bundleTxHash: `0x${"b".repeat(64)}`,
  blockNumber: 7,
  minedAt: new Date(0).toISOString(),
  reason: success ? null : "0x",
});

class ScriptedBundler implements UserOpGateway {
  entryPoint = ENTRY_POINT;
  sent: SignedUserOp[] = [];
  refusal: string | null = null;
  included: Omit<UserOpReceipt, "hookExecutions"> | null = null;
  nonce = async (_sender: Address, key: bigint) => key << 64n;
  estimate = async () => ({ callGasLimit: 200_000n, verificationGasLimit: 150_000n, preVerificationGas: 50_000n });
  hash = (op: SignedUserOp): Hex => `0x${(op.nonce >> 64n).toString(16).padStart(64, "0")}`;
  async send(op: SignedUserOp) {
    this.sent.push(op);
    return this.refusal === null
      ? ({ kind: "sent" } as const)
      : ({ kind: "rejected", message: this.refusal, code: "AA24" } as const);
  }
  isKnown = async () => this.refusal === null;
  receipt = async () => (this.included === null ? null : { ...this.included, hookExecutions: [] });
}

describe("4337 user operations in the engine", () => {
  let db: Db | undefined;
  let core: IntentCore | undefined;
  afterEach(async () => {
    await core?.close();
    await db?.close();
  });

  async function start(bundler: ScriptedBundler) {
    db = await createOmsDb({ sqlitePath: ":memory:" });
    const chain = new FakeChain(vault.merkle.root, manifest.contracts.hooks.deposit4626);
    core = createIntentService({
      db: db.db,
      chain,
      manifest,
      keys: switchableKeys(),
      foreignEventPollMs: null,
      userOps: bundler,
      engine: { receiptPollMs: 0, waitRetryMs: 0 },
    });
    const request = submission(manifest, vault, { action: "DEPOSIT", sizeExpr: "1000" });
    const id = (await core.submit(request, { subject: "test", kind: "service" })).intent.id;
    const run = async (rounds: number) => {
      for (let i = 0; i < rounds; i++) await workOnce(core!.engine, "worker", 1_000, 10);
    };
    return { id, run, core, chain };
  }

  it("a bundler refusal ends the intent FAILED USER_OP_REJECTED with the AA code; nothing else is sent", async () => {
    const bundler = new ScriptedBundler();
    bundler.refusal = "UserOperation reverted during simulation with reason: AA24 signature error";
    const { id, run, core } = await start(bundler);
    await run(10);
    const intent = await core.get(id);
    expect(intent?.state).toBe("FAILED");
    expect(intent?.error?.code).toBe("USER_OP_REJECTED");
    expect(intent?.error?.message).toContain("AA24");
    expect(bundler.sent).toHaveLength(1);
    expect(bundler.sent[0]!.nonce).toBe(nonceKeyOf(id) << 64n);
  });

  it("an included op whose execution reverted ends FAILED EXECUTION_REVERTED with what the account paid", async () => {
    const bundler = new ScriptedBundler();
    const { id, run, core, chain } = await start(bundler);
    await run(6);
    expect((await core.get(id))?.state).toBe("EXECUTING");
    // Included in a new block.
    chain.mine();
    bundler.included = included(false);
    await pastHeadCache();
    await run(3);
    const intent = await core.get(id);
    expect(intent?.state).toBe("FAILED");
    expect(intent?.error?.code).toBe("EXECUTION_REVERTED");
    expect(intent?.error?.message).toContain("300000 wei");
    const [attempt] = await core.attempts(id);
    expect(attempt).toMatchObject({ status: "REVERTED" });
    expect(bundler.sent).toHaveLength(1);
  });

  it("a sent op waiting for a block asks the bundler nothing until a new head, then completes at it", async () => {
    const bundler = new ScriptedBundler();
    let receiptCalls = 0;
    const receipt = bundler.receipt;
    bundler.receipt = async () => {
      receiptCalls++;
      return receipt();
    };
    const { id, run, core, chain } = await start(bundler);
    await run(6);
    expect((await core.get(id))?.state).toBe("EXECUTING");
    // Many rounds within one block (receiptPollMs 0): the op cannot have been included.
    receiptCalls = 0;
    await run(10);
    expect(receiptCalls).toBe(0);

    chain.mine();
    bundler.included = included(true);
    await pastHeadCache();
    await run(2);
    expect((await core.get(id))?.state).toBe("COMPLETED");
    expect(receiptCalls).toBeGreaterThan(0);
    expect(bundler.sent).toHaveLength(1);
  });
});
