/**
 * Row shapes of the OMS tables, as both dialects return them. Timestamps are ISO strings (UTC, ms),
 * amounts decimal strings, JSON documents TEXT; integers stay within 32 bits so pg returns numbers.
 */
export interface IntentsTable {
  id: string;
  vault_id: string;
  strategy_id: string | null;
  action: string;
  objective: string;
  account_mode: string;
  action_config: string;
  auth_signing: string;
  state: string;
  seq_num: number;
  config_hash: string;
  size: string | null;
  deadline: string;
  created_at: string;
  updated_at: string;
  state_entered_at: string;
  completed_at: string | null;
  tx_hash: string | null;
  gas_used: number | null;
  error_code: string | null;
  error_message: string | null;
  submitted_by: string;
  plan: string | null;
  signer: string | null;
  execution_id: string | null;
  waiting_reason: string | null;
  /** Issue 15 (migration 008): `ApprovalStatus`, and the quorum (`Authorization` JSON) once one was asked. */
  approval_status: string;
  quorum: string | null;
  /** 1 while non-terminal: the idempotency index only covers live intents. */
  active: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
  next_attempt_at: string;
}

export interface IntentEventsTable {
  event_id: string;
  intent_id: string;
  execution_id: string | null;
  message_type: string;
  seq_num: number;
  payload: string;
  created_at: string;
  /** Global, gapless append order (see store/positions.ts); null only before migration 003 ran. */
  position: number | string | null;
  /** Audit chain link (store/chain.ts); null only before migration 006 ran. */
  hash: string | null;
}

/** A signed per-vault checkpoint over its intents' heads (core/checkpoints.ts, migration 008). */
export interface VaultCheckpointsTable {
  vault_id: string;
  seq: number;
  position: number;
  intents: number;
  heads_root: string;
  created_at: string;
  prev_hash: string;
  hash: string;
  signature: string;
}

/** One row (id 1): the last event position handed out. */
export interface EventPositionTable {
  id: number;
  last: number | string;
}

export interface FillsTable {
  fill_id: string;
  intent_id: string;
  tx_hash: string;
  chain_id: number;
  log_index: number;
  amount_in: string | null;
  amount_out: string | null;
  token_in: string | null;
  token_out: string | null;
  venue: string | null;
  gas_used: number | null;
  block_number: number | null;
  mined_at: string | null;
  created_at: string;
}

export interface TxAttemptsTable {
  tx_hash: string;
  intent_id: string;
  execution_id: string;
  chain_id: number;
  signer: string;
  nonce: number;
  max_fee_per_gas: string;
  max_priority_fee_per_gas: string;
  raw_tx: string;
  status: string;
  broadcast_block: number | null;
  /** From the receipt of the attempt that mined (migration 005); null for every other attempt. */
  gas_used: number | null;
  effective_gas_price: string | null;
  mined_block: number | null;
  mined_at: string | null;
  /** User operations (migration 009): the bundle transaction and what the account paid; null otherwise. */
  bundle_tx_hash: string | null;
  actual_gas_cost: string | null;
  created_at: string;
  updated_at: string;
}

export interface SignerNoncesTable {
  chain_id: number;
  signer: string;
  next_nonce: number;
  updated_at: string;
}

/** A durable reader of the event log (the NATS relay, the webhook dispatcher): see `consumers.ts`. */
export interface ConsumerCursorsTable {
  name: string;
  position: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
  updated_at: string;
}

export interface LeasesTable {
  name: string;
  owner: string;
  expires_at: string;
}

/**
 * Intents per (vault, strategy, action, state), kept by triggers on `intents` (migration 011); the
 * history's facets read it. `strategy_id` '' stands for none.
 */
export interface IntentCountsTable {
  vault_id: string;
  strategy_id: string;
  action: string;
  state: string;
  n: number;
}

export interface MigrationsTable {
  name: string;
  applied_at: string;
}

/** A refinement (issue 16); `body` is the wire `Refinement` as JSON, `intent_id` set once a submit used it. */
export interface RefinementsTable {
  id: string;
  vault_id: string;
  requested_by: string;
  config_hash: string;
  outcome: string;
  body: string;
  created_at: string;
  expires_at: string;
  intent_id: string | null;
}

/** One version of a vault's approval policy (issue 15), chained per vault like the session-key history. */
export interface ApprovalPoliciesTable {
  vault_id: string;
  version: number;
  /** The `ApprovalPolicy` as JSON; null = the policy was removed. */
  policy: string | null;
  signed_by: string;
  signature: string;
  created_at: string;
  hash: string;
}

export interface Database {
  approval_policies: ApprovalPoliciesTable;
  refinements: RefinementsTable;
  intents: IntentsTable;
  intent_counts: IntentCountsTable;
  intent_events: IntentEventsTable;
  event_position: EventPositionTable;
  fills: FillsTable;
  tx_attempts: TxAttemptsTable;
  signer_nonces: SignerNoncesTable;
  consumer_cursors: ConsumerCursorsTable;
  leases: LeasesTable;
  vault_checkpoints: VaultCheckpointsTable;
  oms_migrations: MigrationsTable;
}
