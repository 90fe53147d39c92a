import type { Kysely } from "kysely";
import type { ReceivedPayload } from "../../../lib/defix";
import type { IntentRecord } from "../../domain/record";
import { insertIntent } from "../intent-batch";
import type { Database } from "../schema";

const VAULT = "0x00000000000000000000000000000000000000aa";

/** A RECEIVED payload that satisfies the schemas; `overrides` change the idempotency key. */
export function receivedPayload(overrides: Partial<ReceivedPayload> = {}): ReceivedPayload {
  return {
    vault_id: `31337:${VAULT}`,
    strategy_id: "s-1",
    action: "DEPOSIT",
    objective: "BALANCED",
    account_mode: "OMS",
    action_config: {
      size_expr: "1000",
      execution_name: "Deposit4626Hook",
      execution_address: "0x00000000000000000000000000000000000000d1",
      target_address: "0x00000000000000000000000000000000000000b1",
      from_address: VAULT,
      max_slippage_bps: 50,
      execution_params: {},
    },
    auth_signing: { root: `0x${"11".repeat(32)}`, proof: [] },
    config_hash: `0x${"22".repeat(32)}`,
    deadline: new Date(Date.now() + 3_600_000).toISOString(),
    submitted_by: "0x00000000000000000000000000000000000000ff",
    ...overrides,
  };
}

let distinct = 0;

/** A new RECEIVED intent, received at `at`, with a config hash no other call gives (never a live duplicate). */
export async function receivedIntent(db: Kysely<Database>, at = new Date()): Promise<IntentRecord> {
  const payload = receivedPayload({ config_hash: `0x${(++distinct).toString(16).padStart(64, "f")}` });
  const intent = await insertIntent(db, payload, at);
  if (intent === null) throw new Error("a duplicate of a live intent");
  return intent.record;
}
