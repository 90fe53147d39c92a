import { describe, expect, it } from "vitest";
import { attemptRow, attemptStatusChange, listAttempts } from "./attempts-repo";
import type { Db } from "./db";
import { StaleIntentError } from "./errors";
import { commitTransition, getIntent } from "./intents-repo";
import { ensureSignerNonce, readNextNonce } from "./nonces-repo";
import { headPosition } from "./positions";
import { commitSigningTurn } from "./steps-together";
import { withTestDatabase } from "./test-support/databases";
import { receivedIntent } from "./test-support/fixtures";

const CHAIN = 31337;
const SIGNER = "0x00000000000000000000000000000000000000c5";
const signed = { message_type: "INTENT_ACKED" as const, payload: { root: "0x", hooks: [] } };

let attempts = 0;
const attemptOf = (intentId: string, nonce: number, at: Date) =>
  attemptRow(
    {
      tx_hash: `0x${(++attempts).toString(16).padStart(64, "a")}`,
      intent_id: intentId,
      execution_id: `exec-${attempts}`,
      chain_id: CHAIN,
      signer: SIGNER,
      nonce,
      max_fee_per_gas: 2n,
      max_priority_fee_per_gas: 1n,
      raw_tx: "0x01",
      status: "SIGNED",
      broadcast_block: null,
    },
    at,
  );

/**
 * A signing turn as one PostgreSQL statement: the signer's nonces, each intent's state change, the attempts and the
 * events are written together, or (a missed nonce guess, one intent moved meanwhile) none of them is.
 */
describe("commitSigningTurn on postgres", () => {
  let handle: Db;
  withTestDatabase("postgres", (opened) => {
    handle = opened;
  });
  it("advances the nonce from the expected value and stores every intent's attempt and events", async () => {
    await ensureSignerNonce(handle.db, CHAIN, SIGNER, 5, new Date());
    const intents = [await receivedIntent(handle.db), await receivedIntent(handle.db)];
    const head = await headPosition(handle.db);
    const at = new Date();
    const attempts = intents.map((intent, i) => attemptOf(intent.id, 5 + i, at));
    const committed = await commitSigningTurn(
      handle.db,
      { chainId: CHAIN, signer: SIGNER, expected: 5, count: 2, at },
      intents.map((current, i) => ({ current, steps: [{ at, list: [signed] }], attempt: attempts[i] })),
    );
    expect(await readNextNonce(handle.db, CHAIN, SIGNER)).toBe(7);
    expect(committed.flatMap((c) => c.events.map((event) => event.position))).toEqual([head + 1, head + 2]);
    for (const [i, intent] of intents.entries()) {
      expect((await getIntent(handle.db, intent.id))?.state).toBe("ACKED");
      expect((await listAttempts(handle.db, intent.id)).map((a) => [a.nonce, a.status])).toEqual([[5 + i, "SIGNED"]]);
    }

    // A later turn carries an earlier step's row write (the first attempt now BROADCAST) with its own append.
    const [firstIntent] = committed;
    if (firstIntent === undefined) throw new Error("no result");
    await commitSigningTurn(handle.db, { chainId: CHAIN, signer: SIGNER, expected: 7, count: 1, at }, [
      {
        current: firstIntent.record,
        steps: [
          { at, list: [{ message_type: "WAITING", payload: { reason: "SESSION_KEY_NOT_READY", message: "x" } }] },
        ],
        rows: {
          attempts: [attemptStatusChange(attempts[0]?.tx_hash as `0x${string}`, "BROADCAST", at, 12)],
          fills: [],
        },
        attempt: attemptOf(firstIntent.record.id, 7, at),
      },
    ]);
    const after = await listAttempts(handle.db, firstIntent.record.id);
    expect(after.map((a) => [a.nonce, a.status, a.broadcast_block])).toEqual([
      [5, "BROADCAST", 12],
      [7, "SIGNED", null],
    ]);
  });

  it("writes nothing when the nonce moved since the guess, or when one intent moved meanwhile", async () => {
    await ensureSignerNonce(handle.db, CHAIN, SIGNER, 20, new Date());
    const intents = [await receivedIntent(handle.db), await receivedIntent(handle.db)];
    const head = await headPosition(handle.db);
    const at = new Date();
    const turn = (expected: number) =>
      commitSigningTurn(
        handle.db,
        { chainId: CHAIN, signer: SIGNER, expected, count: 2, at },
        intents.map((current, i) => ({
          current,
          steps: [{ at, list: [signed] }],
          attempt: attemptOf(current.id, expected + i, at),
        })),
      );
    await expect(turn(19)).rejects.toBeInstanceOf(StaleIntentError);

    const [, moved] = intents;
    if (moved === undefined) throw new Error("no intent");
    await commitTransition(handle.db, moved, [signed], new Date());
    await expect(turn(20)).rejects.toBeInstanceOf(StaleIntentError);

    expect(await readNextNonce(handle.db, CHAIN, SIGNER)).toBe(20);
    expect(await headPosition(handle.db)).toBe(head + 1);
    expect((await getIntent(handle.db, intents[0]?.id ?? ""))?.seq_num).toBe(1);
    for (const intent of intents) expect(await listAttempts(handle.db, intent.id)).toEqual([]);
  });
});
