import { Readable } from "node:stream";
import type { Kysely } from "kysely";
import { z } from "zod";
import { AuditPublicKey, AuditQuery } from "../../lib/defix/audit";
import { IntentProof } from "../../lib/defix/audit-proof";
import { IntentId, VaultId } from "../../lib/defix/common";
import { ErrorCode } from "../../lib/defix/errors";
import { createAuditExporter } from "../core/audit-export";
import { createIntentProver } from "../core/intent-proof";
import { DomainError } from "../kernel/errors";
import type { Logger } from "../kernel/logger";
import { defineRoute, type Route, STREAMED } from "../kernel/route";
import { auditKeyActions } from "../keys/action-chain";
import type { AuditSigner } from "../keys/audit-key";
import { sessionKeyDb } from "../keys/schema";
import type { Database } from "../store/schema";
import { grantFor, requireActor, requireVaultRole } from "./auth";

/** The audit routes over the OMS's own database (events and session-key history) and its audit signing key. */
export function auditRoutesFor(db: Kysely<Database>, signer: AuditSigner, log: Logger): Route[] {
  const now = () => new Date();
  const keyActions = (range: Parameters<typeof auditKeyActions>[1]) => auditKeyActions(sessionKeyDb(db), range);
  return auditRoutes({
    exporter: createAuditExporter({ db, signer, now, keyActions }),
    prover: createIntentProver({ db, signer, now }),
    signer,
    log,
  });
}

/** `GET /defix/vaults/{vault_id}/audit` (signed, streamed export), intent proofs and the key that signs them (issue 19). */
function auditRoutes(deps: {
  exporter: ReturnType<typeof createAuditExporter>;
  prover: ReturnType<typeof createIntentProver>;
  signer: AuditSigner;
  log: Logger;
}): Route[] {
  const { exporter, prover, signer, log } = deps;
  return [
    defineRoute({
      method: "GET",
      url: "/defix/vaults/:vault_id/audit",
      operationId: "exportVaultAudit",
      summary: "Tamper-evident export of the vault's events, fills and attempts",
      description:
        "Streams the range's records (events by position, then fills, then attempts; attempts without their raw signed transaction) as JSONL or CSV, each with its export-chain `link` and events with their intent-chain `hash`/`prev_hash`, then a manifest signed with the OMS's audit key (ES256, public half at /defix/audit/public-key). `from` (inclusive, default 30 days before `to`) and `to` (exclusive, default now) bound when a record was written; at most 400 days. `intent_id` (repeatable) narrows to those intents. Check a file with `npm run audit -- verify FILE`. A file cut short (connection lost) has no manifest and does not verify.",
      tag: "Vaults",
      params: z.strictObject({ vault_id: VaultId }),
      query: AuditQuery,
      responses: {
        200: { description: "JSONL (application/x-ndjson) or CSV (text/csv), ending with the signed manifest" },
      },
      errors: [403, 404],
      async handler({ request, reply, params, query }) {
        await requireVaultRole(request, params.vault_id, "VIEW_ONLY");
        const file = exporter.open(params.vault_id, query);
        const body = Readable.from(file.lines, { objectMode: false });
        body.on("error", (error) =>
          log.error("audit export failed mid-stream", { vault_id: params.vault_id, error: String(error) }),
        );
        await reply
          .code(200)
          .type(file.contentType)
          .header("content-disposition", `attachment; filename="${file.filename}"`)
          .header("cache-control", "no-store")
          .send(body);
        return STREAMED;
      },
    }),
    defineRoute({
      method: "GET",
      url: "/defix/intents/:id/proof",
      operationId: "getIntentProof",
      summary: "A signed proof of one intent's event chain and its place in the vault's audit checkpoint",
      description:
        "The intent's every event (with `hash` and `prev_hash`), its head, the vault's latest signed checkpoint and the Merkle path from the head the checkpoint holds to its `heads_root` (null before the intent's first checkpoint), signed with the audit key. Check it offline with `npm run audit -- verify-proof FILE`. 409 AUDIT_CHECKPOINT_MISMATCH when the vault's events no longer give its checkpoint's root (records changed or deleted since). VIEW_ONLY and up; another vault's intent is a 404.",
      tag: "Intents",
      params: z.strictObject({ id: IntentId }),
      responses: { 200: { description: "The signed proof", schema: IntentProof } },
      errors: [404, 409],
      async handler({ request, params }) {
        const vaultId = await prover.vaultOf(params.id);
        const grant =
          vaultId === null ? null : await grantFor(requireActor(request), vaultId, request.server.access.directory);
        if (vaultId === null || grant === null) {
          throw new DomainError(ErrorCode.INTENT_NOT_FOUND, `Intent ${params.id} was not found`);
        }
        return { status: 200, body: await prover.prove({ id: params.id, vault_id: vaultId }) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/defix/audit/public-key",
      operationId: "getAuditPublicKey",
      summary: "The public key that signs audit export manifests",
      isPublic: true,
      tag: "Vaults",
      responses: { 200: { description: "ES256 public key (SPKI PEM) and its fingerprint", schema: AuditPublicKey } },
      async handler() {
        return {
          status: 200,
          body: { algorithm: signer.algorithm, public_key: signer.publicKeyPem, fingerprint: signer.fingerprint },
        };
      },
    }),
  ];
}
