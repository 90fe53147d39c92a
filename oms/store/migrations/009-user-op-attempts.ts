import type { Migration } from "../../kernel/migrate";

/**
 * Attempts of ERC-4337 user operations (issue 14): the attempt's `tx_hash` is the `userOpHash`; these columns hold
 * the bundle transaction that included it and what the account paid (`actualGasCost` of the EntryPoint's
 * UserOperationEvent; `gas_used` holds its `actualGasUsed`). Null for plain transactions.
 */
export const userOpAttemptsMigration: Migration = {
  name: "009_user_op_attempts",
  async up(db) {
    await db.schema.alterTable("tx_attempts").addColumn("bundle_tx_hash", "text").execute();
    await db.schema.alterTable("tx_attempts").addColumn("actual_gas_cost", "text").execute();
  },
};
