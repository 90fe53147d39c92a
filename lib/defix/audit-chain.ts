import { concatBytes, hexToBytes, numberToBytes, sha256, stringToBytes } from "viem";

/**
 * The tamper-evident event chain (docs/ARCHITECTURE.md, "Audit chain"). Pure, shared by the OMS (which
 * computes hashes on append), its PostgreSQL path (which mirrors `chainLink` in SQL, see
 * oms/store/chain.ts) and the offline verifier (scripts/audit). Hashes are 64 lowercase hex chars.
 *
 *   digest_n = SHA-256(canonical JSON of the event without its position)
 *   hash_n   = SHA-256(hash_{n-1} ‖ digest_n ‖ position_n as 8 bytes big-endian), hash_0 = 32 zero bytes
 */
export const GENESIS_HASH = "0".repeat(64);

/** The fields of an event that its hash covers (position is bound separately, see chainLink). */
export interface ChainedEvent {
  event_id: string;
  intent_id: string;
  execution_id: string | null;
  message_type: string;
  seq_num: number;
  payload: unknown;
  created_at: string;
}

/**
 * JSON with object keys sorted at every depth (by UTF-16 code units) and undefined members dropped (as JSON.stringify
 * drops them); an undefined array item is `null`. The one canonical form: the audit chain's digests and the
 * idempotency key's config hash (oms/domain/config-hash.ts) both hash it. Built by appending to one string (no
 * entry arrays, filters or joins per object): it runs on every submit and every appended event.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ",";
      out += canonicalJson(value[index] ?? null);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // The default sort orders strings by UTF-16 code units, as `<` does.
  const keys = Object.keys(record).sort();
  let out = "{";
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (out.length > 1) out += ",";
    out += `${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

const plain = (hex: string): string => hex.slice(2);

/** SHA-256 of bytes or of a string's UTF-8 bytes, as plain hex. */
export type Sha256Hex = (data: Uint8Array | string) => string;

/** viem's SHA-256 (pure JS: the browser and the offline verifier). */
const jsSha256Hex: Sha256Hex = (data) => plain(sha256(typeof data === "string" ? stringToBytes(data) : data));
let sha256Hex: Sha256Hex = jsSha256Hex;

/**
 * Installs another implementation of the same SHA-256 for this process's chain hashes (the OMS: node:crypto's,
 * several times faster than pure JS on every append). `null` goes back to viem's.
 */
export function setSha256(implementation: Sha256Hex | null): void {
  sha256Hex = implementation ?? jsSha256Hex;
}

/** SHA-256 of a record's canonical JSON, as plain hex. */
export function recordDigest(record: unknown): string {
  return sha256Hex(canonicalJson(record));
}

export function eventDigest(event: ChainedEvent): string {
  const { event_id, intent_id, execution_id, message_type, seq_num, payload, created_at } = event;
  return recordDigest({ event_id, intent_id, execution_id, message_type, seq_num, payload, created_at });
}

/** One link: the previous hash, the record's digest and its position (PostgreSQL computes the same in SQL). */
export function chainLink(previous: string, digest: string, position: number): string {
  return sha256Hex(
    concatBytes([hexToBytes(`0x${previous}`), hexToBytes(`0x${digest}`), numberToBytes(BigInt(position), { size: 8 })]),
  );
}

export function eventHash(previous: string, event: ChainedEvent & { position: number }): string {
  return chainLink(previous, eventDigest(event), event.position);
}

/** A session-key history row as its vault's chain covers it (oms/keys/action-chain.ts). */
export interface ChainedKeyAction {
  id: string;
  vault_id: string;
  type: string;
  session_key_address: string | null;
  actor: string | null;
  expires_at: string | null;
  created_at: string;
  chain_block: string;
  chain_timestamp: string;
}

export function keyActionHash(previous: string, action: ChainedKeyAction, seq: number): string {
  const { id, vault_id, type, session_key_address, actor, expires_at, created_at, chain_block, chain_timestamp } =
    action;
  const record = {
    id,
    vault_id,
    type,
    session_key_address,
    actor,
    expires_at,
    created_at,
    chain_block,
    chain_timestamp,
  };
  return chainLink(previous, recordDigest(record), seq);
}

/** An approval-policy version as its vault's chain covers it (oms/store/approval-policies-repo.ts, issue 15). */
export interface ChainedPolicyVersion {
  vault_id: string;
  version: number;
  policy: string | null;
  signed_by: string;
  signature: string;
  created_at: string;
}

export function policyVersionHash(previous: string, row: ChainedPolicyVersion): string {
  const { vault_id, version, policy, signed_by, signature, created_at } = row;
  return chainLink(previous, recordDigest({ vault_id, version, policy, signed_by, signature, created_at }), version);
}

/** Hashes a run of one intent's consecutive events (positions known), starting after `previous`. */
export function chainEvents<E extends ChainedEvent & { position: number }>(
  previous: string,
  events: readonly E[],
): (E & { hash: string })[] {
  let head = previous;
  return events.map((event) => {
    head = eventHash(head, event);
    return { ...event, hash: head };
  });
}
