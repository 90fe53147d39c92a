import { createPublicKey, verify as verifySignature } from "node:crypto";
import {
  AUDIT_CSV_COLUMNS,
  AuditManifest,
  AuditRecord,
  type AuditManifest as ManifestT,
  type AuditRecord as RecordT,
} from "../../lib/defix/audit";
import {
  type ChainedKeyAction,
  type ChainedPolicyVersion,
  canonicalJson,
  eventHash,
  GENESIS_HASH,
  keyActionHash,
  policyVersionHash,
} from "../../lib/defix/audit-chain";
import { parseCsv, recordLink } from "../../lib/defix/audit-file";
import { checkpointFailure } from "./proof";

/** Offline check of an audit export (lib/defix/audit.ts): the first broken record is named, in file order. */

export interface Verified {
  ok: boolean;
  records: number;
  /** The first problem, naming its record (n and line) when it is one. */
  failure?: string;
  manifest?: ManifestT["manifest"];
  fills: RecordT[];
  attempts: RecordT[];
}

interface Line {
  line: number;
  record?: unknown;
  error?: string;
}

function jsonLines(text: string): Line[] {
  return text
    .split("\n")
    .map((raw, i) => ({ raw, line: i + 1 }))
    .filter(({ raw }) => raw.trim() !== "")
    .map(({ raw, line }) => {
      try {
        return { line, record: JSON.parse(raw) as unknown };
      } catch {
        return { line, error: "is not valid JSON" };
      }
    });
}

const CSV_CHECKED = ["intent_id", "seq_num", "position", "created_at", "hash", "prev_hash"] as const;

function csvLines(text: string): Line[] {
  const [header, ...rows] = parseCsv(text);
  if (header === undefined || header.cells.join(",") !== AUDIT_CSV_COLUMNS.join(",")) {
    return [{ line: 1, error: "has not the audit CSV header" }];
  }
  const at = (cells: string[], column: (typeof AUDIT_CSV_COLUMNS)[number]) =>
    cells[AUDIT_CSV_COLUMNS.indexOf(column)] ?? "";
  return rows
    .filter((row) => row.cells.some((cell) => cell !== ""))
    .map(({ cells, line }) => {
      try {
        const data = JSON.parse(at(cells, "data")) as Record<string, unknown>;
        if (at(cells, "kind") === "manifest") return { line, record: data };
        // The columns repeat fields of `data` (which is what is hashed): they must agree with it.
        const differs = CSV_CHECKED.find((column) => at(cells, column) !== String(data[column] ?? ""));
        if (differs !== undefined) return { line, error: `column ${differs} does not match its data` };
        return { line, record: { n: Number(at(cells, "n")), kind: at(cells, "kind"), data, link: at(cells, "link") } };
      } catch {
        return { line, error: "has a data cell that is not valid JSON" };
      }
    });
}

const recordName = (record: RecordT): string => {
  const d = record.data;
  if (record.kind === "event")
    return `event ${String(d.event_id)} (intent ${String(d.intent_id)} seq ${String(d.seq_num)})`;
  if (record.kind === "fill") return `fill ${String(d.fill_id)}`;
  if (record.kind === "key_action") return `key action ${String(d.id)} (seq ${String(d.seq)})`;
  if (record.kind === "policy_version") return `approval policy version ${String(d.version)}`;
  return `attempt ${String(d.tx_hash)}`;
};

export function verifyAudit(text: string, options: { publicKeyPem?: string } = {}): Verified {
  const isCsv = text.startsWith(`${AUDIT_CSV_COLUMNS[0]},`);
  const lines = isCsv ? csvLines(text) : jsonLines(text);
  const result: Verified = { ok: false, records: 0, fills: [], attempts: [] };
  const fail = (failure: string): Verified => ({ ...result, failure });
  const last = lines.at(-1);
  const manifestParsed = AuditManifest.safeParse(last?.record);
  let link = GENESIS_HASH;
  let lastPosition = 0;
  const heads = new Map<string, { seq_num: number; hash: string }>();
  let keyHead: { seq: number; hash: string } | undefined;
  let policyHead: { seq: number; hash: string } | undefined;
  const body = manifestParsed.success ? lines.slice(0, -1) : lines;
  // A view's export claims every intent whole: each intent's chain must start at its first event.
  const isComplete = manifestParsed.success && manifestParsed.data.manifest.intents_complete === true;
  for (const [i, entry] of body.entries()) {
    const n = i + 1;
    const where = `record ${n} (line ${entry.line})`;
    if (entry.error !== undefined) return fail(`${where} ${entry.error}`);
    const parsed = AuditRecord.safeParse(entry.record);
    if (!parsed.success) return fail(`${where} is not an audit record`);
    const record = parsed.data;
    const name = `${where}, ${recordName(record)}`;
    if (record.n !== n) return fail(`${name}: numbered ${record.n}, expected ${n} (a record is missing or moved)`);
    link = recordLink(link, record.kind, record.data, n);
    if (record.link !== link) return fail(`${name}: its link does not match its content or the record before it`);
    if (record.kind === "event") {
      const failure = checkEvent(record, heads, lastPosition, isComplete);
      if (failure !== undefined) return fail(`${name}: ${failure}`);
      lastPosition = Number(record.data.position);
    } else if (record.kind === "key_action") {
      const failure = checkKeyAction(record, keyHead);
      if (failure !== undefined) return fail(`${name}: ${failure}`);
      keyHead = { seq: Number(record.data.seq), hash: String(record.data.hash) };
    } else if (record.kind === "policy_version") {
      const failure = checkPolicyVersion(record, policyHead);
      if (failure !== undefined) return fail(`${name}: ${failure}`);
      policyHead = { seq: Number(record.data.version), hash: String(record.data.hash) };
    } else (record.kind === "fill" ? result.fills : result.attempts).push(record);
    result.records = n;
  }
  if (!manifestParsed.success) return fail(`the file has no valid manifest as its last line (cut short or changed)`);
  const manifest = manifestParsed.data.manifest;
  result.manifest = manifest;
  if (manifest.records !== result.records) {
    return fail(
      `the manifest counts ${manifest.records} records, the file has ${result.records} (record ${result.records + 1} is missing)`,
    );
  }
  if (manifest.export_head !== link) return fail("the manifest's export head does not match the last record");
  const fileHeads = [...heads.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([intent_id, h]) => ({ intent_id, ...h }));
  if (canonicalJson(fileHeads) !== canonicalJson(manifest.heads))
    return fail("the manifest's intent heads do not match the events");
  if (options.publicKeyPem !== undefined && !samePublicKey(options.publicKeyPem, manifest.public_key)) {
    return fail("the manifest was signed by another key than the one given (--public-key)");
  }
  const signed = verifySignature(
    "sha256",
    Buffer.from(canonicalJson(manifest), "utf8"),
    { key: manifest.public_key, dsaEncoding: "ieee-p1363" },
    Buffer.from(manifestParsed.data.signature, "hex"),
  );
  if (!signed) return fail("the manifest's signature does not verify");
  const sealFailure = manifest.checkpoint
    ? checkpointFailure(manifest.checkpoint, manifest.vault_id, manifest.public_key)
    : undefined;
  if (sealFailure !== undefined) return fail(`the manifest's ${sealFailure}`);
  return { ...result, ok: true };
}

function checkEvent(
  record: RecordT,
  heads: Map<string, { seq_num: number; hash: string }>,
  lastPosition: number,
  isComplete: boolean,
) {
  const d = record.data as Record<string, unknown> & { intent_id: string; seq_num: number; position: number };
  const hash = String(d.hash);
  const prev = String(d.prev_hash);
  const computed = eventHash(prev, {
    event_id: String(d.event_id),
    intent_id: d.intent_id,
    execution_id: (d.execution_id ?? null) as string | null,
    message_type: String(d.message_type),
    seq_num: d.seq_num,
    payload: d.payload,
    created_at: String(d.created_at),
    position: Number(d.position),
  });
  if (computed !== hash) return "its hash does not match its content";
  if (!(Number(d.position) > lastPosition)) return "its position is not after the event before it (moved)";
  const head = heads.get(d.intent_id);
  if (head !== undefined && (head.hash !== prev || head.seq_num + 1 !== d.seq_num)) {
    return `it does not follow its intent's event seq ${head.seq_num} (an event is missing or moved)`;
  }
  if (head === undefined && d.seq_num === 1 && prev !== GENESIS_HASH)
    return "the first event of its intent links to something";
  if (head === undefined && isComplete && d.seq_num !== 1) {
    return `its intent starts at seq ${d.seq_num}, but the manifest says every intent is exported whole (events before it are missing)`;
  }
  heads.set(d.intent_id, { seq_num: d.seq_num, hash });
  return undefined;
}

/** A session-key history row: its hash, and that it follows the row before it in the vault's chain. */
function checkKeyAction(record: RecordT, head: { seq: number; hash: string } | undefined): string | undefined {
  const d = record.data;
  const seq = Number(d.seq);
  const prev = String(d.prev_hash);
  if (keyActionHash(prev, d as unknown as ChainedKeyAction, seq) !== d.hash)
    return "its hash does not match its content";
  if (head !== undefined && (head.hash !== prev || head.seq + 1 !== seq)) {
    return `it does not follow the vault's key history seq ${head.seq} (a row is missing or moved)`;
  }
  if (head === undefined && seq === 1 && prev !== GENESIS_HASH)
    return "the first row of the key history links to something";
  return undefined;
}

function checkPolicyVersion(record: RecordT, head: { seq: number; hash: string } | undefined): string | undefined {
  const d = record.data;
  const version = Number(d.version);
  const prev = String(d.prev_hash);
  if (policyVersionHash(prev, d as unknown as ChainedPolicyVersion) !== d.hash)
    return "its hash does not match its content";
  if (head !== undefined && (head.hash !== prev || head.seq + 1 !== version)) {
    return `it does not follow the vault's policy version ${head.seq} (a version is missing or moved)`;
  }
  if (head === undefined && version === 1 && prev !== GENESIS_HASH)
    return "the first policy version links to something";
  return undefined;
}

export function samePublicKey(a: string, b: string): boolean {
  const der = (pem: string) => createPublicKey(pem).export({ format: "der", type: "spki" });
  return der(a).equals(der(b));
}
