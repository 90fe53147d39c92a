import { z } from "zod";
import { IsoDateTime, VaultId } from "./common";
import { IntentAction, IntentState, LegacyStatus } from "./intents";

/**
 * The audit export (docs/ARCHITECTURE.md, "Audit chain"): `GET /defix/vaults/{vault_id}/audit` streams one
 * record per line (JSONL) or row (CSV), then a manifest signed by the OMS's audit key. Every record
 * carries `link` = chainLink(previous record's link, recordDigest({kind, data}), n) (lib/defix/audit-chain.ts),
 * so a changed, missing or moved record breaks the export chain at the first one; events also carry
 * their own intent-chain `hash` and `prev_hash`. The manifest signs the range, the record count, the
 * export head and every intent's last hash in the range.
 */
export const AUDIT_FORMAT = "defix-audit/1";
export const MAX_AUDIT_RANGE_DAYS = 400;

export const AuditFormat = z.enum(["jsonl", "csv"]);
/**
 * `range`: every record written in `[from, to)` (default). `view`: the intents the history's filters select
 * (`from`/`to` bound the intents' creation, as the history's time filter does), each exported whole: every
 * event from seq 1 to its head, and all its fills and attempts, so each intent's chain verifies on its own.
 */
export const AuditScope = z.enum(["range", "view"]);
export type AuditScope = z.infer<typeof AuditScope>;
const many = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item).max(20)])
    .optional()
    .transform((value) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]));
/** The intent history's filters (the same meaning as in ListIntentsQuery); only with `scope=view`. */
export const AuditViewFilter = z.strictObject({
  state: z.array(IntentState).optional(),
  status: z.array(LegacyStatus).optional(),
  action: IntentAction.optional(),
  strategy_id: z.string().max(128).optional(),
  q: z.string().max(100).optional(),
});
export type AuditViewFilter = z.infer<typeof AuditViewFilter>;
export const AuditQuery = z.strictObject({
  /** Inclusive; default `to` − 30 days (scope=range) or no lower bound (scope=view). */
  from: IsoDateTime.optional(),
  /** Exclusive; default now. */
  to: IsoDateTime.optional(),
  format: AuditFormat.default("jsonl"),
  scope: AuditScope.default("range"),
  state: many(IntentState),
  status: many(LegacyStatus),
  action: IntentAction.optional(),
  strategy_id: z.string().max(128).optional(),
  q: z.string().max(100).optional(),
  /** Only these intents (the console's filtered view); at most 500. */
  intent_id: z
    .union([z.string().min(1).max(100), z.array(z.string().min(1).max(100)).max(500)])
    .optional()
    .transform((value) => (value === undefined ? undefined : Array.isArray(value) ? value : [value])),
});

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const AuditRecordKind = z.enum(["event", "fill", "attempt", "key_action", "policy_version"]);
export type AuditRecordKind = z.infer<typeof AuditRecordKind>;

/** One exported record (a JSONL line). `data` is the stored row; events' data includes hash and prev_hash. */
export const AuditRecord = z.strictObject({
  n: z.number().int().min(1),
  kind: AuditRecordKind,
  data: z.record(z.string(), z.unknown()),
  link: Hex64,
});
export type AuditRecord = z.infer<typeof AuditRecord>;

export const AuditHead = z.strictObject({ intent_id: z.string(), seq_num: z.number().int().min(1), hash: Hex64 });

/**
 * A persisted per-vault checkpoint (docs/ARCHITECTURE.md, "Audit chain"): the Merkle root over every intent's head
 * (last event at or before `position`) of the vault, chained over the vault's previous checkpoint:
 * `hash = chainLink(prev_hash, recordDigest({vault_id, seq, position, intents, heads_root, created_at}), seq)`.
 */
export const AuditCheckpoint = z.strictObject({
  vault_id: VaultId,
  seq: z.number().int().min(1),
  position: z.number().int().nonnegative(),
  intents: z.number().int().nonnegative(),
  heads_root: Hex64,
  created_at: IsoDateTime,
  prev_hash: Hex64,
  hash: Hex64,
  /** ES256 (as the manifest) over the canonical JSON of the other fields, made when the checkpoint was written. */
  signature: z.string().regex(/^[0-9a-f]{128}$/),
});
export type AuditCheckpoint = z.infer<typeof AuditCheckpoint>;

export const AuditManifestBody = z.strictObject({
  format: z.literal(AUDIT_FORMAT),
  vault_id: VaultId,
  from: IsoDateTime,
  to: IsoDateTime,
  intent_ids: z.array(z.string()).nullable(),
  generated_at: IsoDateTime,
  records: z.number().int().nonnegative(),
  /** The last record's link (64 zeros when there is none). */
  export_head: Hex64,
  /** Each exported intent's last event in the range. */
  heads: z.array(AuditHead),
  /** Absent in files written before scopes existed: `range`. */
  scope: AuditScope.optional(),
  /** scope=view: the history filters that selected the intents (`from`/`to` bound their creation). */
  view: AuditViewFilter.nullable().optional(),
  /**
   * true when every exported intent is exported whole (scope=view): its first event is seq 1 and `heads` is its
   * head when exported, so each intent's chain is complete; the vault's other intents are not in the file.
   */
  intents_complete: z.boolean().optional(),
  /** The vault's latest persisted checkpoint when exported (oms/core/checkpoints.ts), or null when none yet. */
  checkpoint: AuditCheckpoint.nullable().optional(),
  algorithm: z.literal("ES256"),
  /** SPKI PEM of the key that signed (also at GET /defix/audit/public-key). */
  public_key: z.string(),
});
export type AuditManifestBody = z.infer<typeof AuditManifestBody>;

/** The last line: `signature` is ES256 (P-256, IEEE P1363 r‖s, hex) over canonicalJson(manifest). */
export const AuditManifest = z.strictObject({
  kind: z.literal("manifest"),
  manifest: AuditManifestBody,
  signature: z.string().regex(/^[0-9a-f]{128}$/),
});
export type AuditManifest = z.infer<typeof AuditManifest>;

export const AuditPublicKey = z.strictObject({
  algorithm: z.literal("ES256"),
  public_key: z.string(),
  /** SHA-256 of the DER public key, hex: what an auditor pins. */
  fingerprint: Hex64,
});
export type AuditPublicKey = z.infer<typeof AuditPublicKey>;

/** CSV columns: the chain fields as columns, the whole record as canonical JSON in `data` (what is hashed). */
export const AUDIT_CSV_COLUMNS = [
  "n",
  "kind",
  "intent_id",
  "seq_num",
  "position",
  "created_at",
  "hash",
  "prev_hash",
  "link",
  "data",
] as const;
