import type { Kysely } from "kysely";
import type { z } from "zod";
import {
  AUDIT_FORMAT,
  type AuditManifestBody,
  type AuditQuery,
  type AuditRecord,
  type AuditRecordKind,
  type AuditViewFilter,
  MAX_AUDIT_RANGE_DAYS,
} from "../../lib/defix/audit";
import { canonicalJson, GENESIS_HASH } from "../../lib/defix/audit-chain";
import { csvHeader, formatManifest, formatRecord, recordLink } from "../../lib/defix/audit-file";
import { ErrorCode } from "../../lib/defix/errors";
import { DomainError } from "../kernel/errors";
import { auditPolicyVersions } from "../store/approval-policies-repo";
import { type AuditRangeQuery, auditAttempts, auditEvents, auditFills } from "../store/audit-repo";
import { latestCheckpoint } from "../store/checkpoints-repo";
import type { Database } from "../store/schema";

const DAY_MS = 86_400_000;

/** Signs manifests; oms/keys/audit-key.ts provides it (core does not import keys). */
export interface ManifestSigner {
  algorithm: "ES256";
  publicKeyPem: string;
  sign(message: string): string;
}

export interface AuditExport {
  filename: string;
  contentType: string;
  lines: AsyncIterable<string>;
}

/**
 * The audit export of a vault's range (lib/defix/audit.ts): events in position order, then fills, then
 * attempts, each store page read lazily (constant memory), then the signed manifest. Bad input throws
 * before the first byte, so it still answers a JSON error.
 */
/** Reads the vault's session-key history chain for the range (oms/keys/action-chain.ts; injected: keys is above core). */
export type KeyActionReader = (range: {
  vaultId: string;
  from: string;
  to: string;
}) => AsyncIterable<Record<string, unknown>>;

interface ExporterDeps {
  db: Kysely<Database>;
  signer: ManifestSigner;
  now: () => Date;
  keyActions?: KeyActionReader;
}

export function createAuditExporter(deps: ExporterDeps) {
  return {
    open(vaultId: string, query: z.output<typeof AuditQuery>): AuditExport {
      const range = resolveRange(vaultId, query, deps.now());
      const format = query.format;
      const stamp = range.to.replaceAll(":", "").slice(0, 15);
      const scope = range.view === null ? "" : "-view";
      return {
        filename: `audit-${vaultId.replace(/[^0-9a-zA-Z]/g, "_")}${scope}-${stamp}.${format}`,
        contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
        lines: exportLines(deps, range, format),
      };
    },
  };
}

export type AuditRange = AuditRangeQuery;

/** The range (and for scope=view the filter) an export covers; bad input throws before the first byte. */
function resolveRange(vaultId: string, query: z.output<typeof AuditQuery>, now: Date): AuditRange {
  const { state, status, action, strategy_id, q } = query;
  const filter = { state, status, action, strategy_id, q };
  const isView = query.scope === "view";
  if (!isView && Object.values(filter).some((value) => value !== undefined)) {
    throw new DomainError(
      ErrorCode.BAD_REQUEST,
      "The history filters (state, status, action, strategy_id, q) need scope=view",
    );
  }
  const to = query.to === undefined ? now : new Date(query.to);
  const from =
    query.from !== undefined ? new Date(query.from) : isView ? new Date(0) : new Date(to.getTime() - 30 * DAY_MS);
  if (from.getTime() >= to.getTime()) throw new DomainError(ErrorCode.BAD_REQUEST, "`from` must be before `to`");
  if (!isView && to.getTime() - from.getTime() > MAX_AUDIT_RANGE_DAYS * DAY_MS) {
    throw new DomainError(ErrorCode.BAD_REQUEST, `The range may cover at most ${MAX_AUDIT_RANGE_DAYS} days`);
  }
  const view = isView
    ? (Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) as AuditViewFilter)
    : null;
  return { vaultId, from: from.toISOString(), to: to.toISOString(), intentIds: query.intent_id ?? null, view };
}

async function* exportLines(deps: ExporterDeps, range: AuditRange, format: "jsonl" | "csv"): AsyncGenerator<string> {
  if (format === "csv") yield csvHeader();
  let n = 0;
  let link = GENESIS_HASH;
  const heads = new Map<string, { seq_num: number; hash: string }>();
  const emit = (kind: AuditRecordKind, data: Record<string, unknown>): string => {
    n += 1;
    link = recordLink(link, kind, data, n);
    const record: AuditRecord = { n, kind, data, link };
    return formatRecord(record, format);
  };
  for await (const event of auditEvents(deps.db, range)) {
    heads.set(event.intent_id, { seq_num: event.seq_num, hash: event.hash });
    yield emit("event", event);
  }
  for await (const fill of auditFills(deps.db, range)) yield emit("fill", fill);
  for await (const attempt of auditAttempts(deps.db, range)) yield emit("attempt", attempt);
  // The key history is the vault's: an export narrowed to some intents (or a view) leaves it out.
  if (deps.keyActions && range.intentIds === null && range.view === null) {
    for await (const action of deps.keyActions(range)) yield emit("key_action", action);
  }
  // So is its approval-policy history (issue 15): who set which version when, chained per vault.
  if (range.intentIds === null && range.view === null) {
    for await (const version of auditPolicyVersions(deps.db, range)) yield emit("policy_version", version);
  }
  const manifest: AuditManifestBody = {
    format: AUDIT_FORMAT,
    vault_id: range.vaultId,
    from: range.from,
    to: range.to,
    intent_ids: range.intentIds,
    scope: range.view === null ? "range" : "view",
    view: range.view,
    intents_complete: range.view !== null,
    checkpoint: await latestCheckpoint(deps.db, range.vaultId),
    generated_at: deps.now().toISOString(),
    records: n,
    export_head: link,
    heads: [...heads.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([intent_id, head]) => ({ intent_id, ...head })),
    algorithm: "ES256",
    public_key: deps.signer.publicKeyPem,
  };
  yield formatManifest({ kind: "manifest", manifest, signature: deps.signer.sign(canonicalJson(manifest)) }, format);
}
