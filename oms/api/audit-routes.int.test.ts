import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devAccount } from "../../lib/chain/dev-accounts";
import type { AuditPublicKey, AuditRecord, Intent } from "../../lib/defix";
import type { IntentProof } from "../../lib/defix/audit-proof";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { checkOnChain } from "../../scripts/audit/onchain";
import { verifyProof } from "../../scripts/audit/proof";
import { verifyAudit } from "../../scripts/audit/verify";
import { submission } from "../domain/test-support/intents";
import { DIALECTS } from "../store/test-support/databases";
import { type OmsWorld, poll, startOmsWorld } from "./test-support/oms-world";

const MANAGER_ONE = devAccount(1).address;
const VIEWER = devAccount(3).address;
const OUTSIDER = devAccount(5).address;
const run = promisify(execFile);

/** Changes one character of record line's `data` (the last letter or digit before `,"kind":`). */
function flipByte(line: string): string {
  let i = line.lastIndexOf(',"kind":');
  while (i > 0 && !/[0-9a-zA-Z]/.test(line[i] ?? "")) i--;
  const c = line[i] ?? "0";
  const flipped = /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : c === "a" ? "b" : "a";
  return line.slice(0, i) + flipped + line.slice(i + 1);
}

describe.each(DIALECTS)("audit export and verify on %s", (dialect) => {
  let w: OmsWorld;
  let alpha: ManifestVault;
  let since: string;
  let dir: string;
  const deposits: string[] = [];

  beforeAll(async () => {
    w = await startOmsWorld(dialect, { OMS_AUDIT_CHECKPOINT_MS: "1000" });
    dir = mkdtempSync(path.join(tmpdir(), "audit-test-"));
    alpha = w.manifest.vaults.find((vault) => vault.symbol === "svALPHA") as ManifestVault;
    since = new Date(Date.now() - 60_000).toISOString();
    const base = `/defix/vaults/${alpha.vault_id}/session-key`;
    const grant = await fetch(`${w.baseUrl}${base}/grant`, { headers: await w.bearer(MANAGER_ONE) });
    await w.sendAs(1, await grant.json());
    await poll(async () => {
      const res = await fetch(`${w.baseUrl}${base}/readiness`, { headers: await w.bearer(VIEWER) });
      return ((await res.json()) as { is_ready: boolean }).is_ready || null;
    }, "readiness");
    // Two deposits: several intents, events, a fill and a mined attempt each.
    for (const size of ["1000000", "2000000"]) {
      const submitted = await fetch(`${w.baseUrl}/defix/intents`, {
        method: "POST",
        headers: { ...(await w.bearer(MANAGER_ONE)), "content-type": "application/json" },
        body: JSON.stringify(submission(w.manifest, alpha, { action: "DEPOSIT", sizeExpr: size })),
      });
      const { id } = (await submitted.json()) as Intent;
      deposits.push(id);
      await poll(async () => {
        const res = await fetch(`${w.baseUrl}/defix/intents/${id}`, { headers: await w.bearer(VIEWER) });
        const intent = (await res.json()) as Intent;
        return intent.state === "COMPLETED" ? intent : null;
      }, "COMPLETED");
    }
  });
  afterAll(async () => {
    await w?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const exportAs = async (sub: string, query: string) =>
    fetch(`${w.baseUrl}/defix/vaults/${alpha.vault_id}/audit${query}`, { headers: await w.bearer(sub) });

  it("exports a range a viewer may read, that verifies offline and on-chain with the published key", async () => {
    const res = await exportAs(VIEWER, `?from=${since}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    const text = await res.text();
    const kinds = text
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { kind: string }).kind);
    expect(kinds.filter((k) => k === "fill")).toHaveLength(2);
    expect(kinds.filter((k) => k === "attempt").length).toBeGreaterThanOrEqual(2);
    expect(kinds).toContain("key_action");
    expect(kinds.at(-1)).toBe("manifest");
    const file = path.join(dir, `${dialect}.jsonl`);
    writeFileSync(file, text);
    const key = (await (await fetch(`${w.baseUrl}/defix/audit/public-key`)).json()) as AuditPublicKey;
    const keyFile = path.join(dir, "audit.pem");
    writeFileSync(keyFile, key.public_key);
    const cli = ["tsx", "scripts/audit/cli.ts", "verify", file, "--public-key", keyFile, "--rpc", w.anvil.rpcUrl];
    const { stdout } = await run("npx", cli);
    expect(stdout).toMatch(/^OK .* 2 fills and mined attempts checked on-chain/);

    // The CLI fails, naming the record, and exits non-zero.
    const lines = text.split("\n");
    writeFileSync(file, [...lines.slice(0, 2), flipByte(lines[2] ?? ""), ...lines.slice(3)].join("\n"));
    const failed = await run("npx", cli).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("record 3 ");
  });

  it("names the first broken record when any record is changed, deleted or two are swapped", async () => {
    const text = await (await exportAs(VIEWER, `?from=${since}`)).text();
    const lines = text.trim().split("\n");
    const records = lines.length - 1;
    expect(verifyAudit(text).ok).toBe(true);
    const join = (list: string[]) => `${list.join("\n")}\n`;
    for (let k = 1; k <= records; k++) {
      const changed = join(lines.map((line, i) => (i === k - 1 ? flipByte(line) : line)));
      expect(verifyAudit(changed).failure, `flip ${k}`).toMatch(new RegExp(`^record ${k} `));
      const deleted = join(lines.filter((_, i) => i !== k - 1));
      const deletedFailure = verifyAudit(deleted).failure ?? "";
      expect(deletedFailure, `delete ${k}`).toMatch(
        k === records ? /record \d+ is missing/ : new RegExp(`^record ${k} `),
      );
      expect(deletedFailure).toContain(k === records ? `record ${k} is missing` : "");
      if (k < records) {
        const swapped = [...lines];
        [swapped[k - 1], swapped[k]] = [swapped[k] ?? "", swapped[k - 1] ?? ""];
        expect(verifyAudit(join(swapped)).failure, `swap ${k}`).toMatch(new RegExp(`^record ${k} `));
      }
    }
    const manifestFlipped = join([...lines.slice(0, -1), (lines.at(-1) ?? "").replace(/"records":\d+/, '"records":1')]);
    expect(verifyAudit(manifestFlipped).ok).toBe(false);
    const resigned = join([
      ...lines.slice(0, -1),
      (lines.at(-1) ?? "").replace(/"generated_at":"[^"]+"/, '"generated_at":"2020-01-01T00:00:00.000Z"'),
    ]);
    expect(verifyAudit(resigned).failure).toBe("the manifest's signature does not verify");
    expect(verifyAudit(join(lines.slice(0, -1))).failure).toContain("no valid manifest");
  });

  it("exports CSV that verifies, and fails on a changed cell", async () => {
    const res = await exportAs(VIEWER, `?from=${since}&format=csv`);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const text = await res.text();
    expect(verifyAudit(text)).toMatchObject({ ok: true });
    const rows = text.split("\n");
    const second = rows[2] ?? "";
    // The created_at column of record 2 (a repeated field): the data cell still verifies, the row does not.
    const changed = [...rows.slice(0, 2), second.replace(/,20(\d\d)-/, ",21$1-"), ...rows.slice(3)].join("\n");
    expect(verifyAudit(changed).failure).toMatch(/^record 2 /);
  });

  it("checks fills against the chain: a recorded gas that differs names the record", async () => {
    const text = await (await exportAs(VIEWER, `?from=${since}`)).text();
    const result = verifyAudit(text);
    const fill = result.fills[0] as AuditRecord;
    expect(await checkOnChain(w.anvil.rpcUrl, result.fills, result.attempts)).toBeUndefined();
    const wrongGas = { ...fill, data: { ...fill.data, gas_used: Number(fill.data.gas_used) + 1 } };
    expect(await checkOnChain(w.anvil.rpcUrl, [wrongGas], [])).toMatch(
      new RegExp(`^record ${fill.n}, fill .*gas used`),
    );
    const missing = { ...fill, data: { ...fill.data, tx_hash: `0x${"12".repeat(32)}` } };
    expect(await checkOnChain(w.anvil.rpcUrl, [missing], [])).toContain("no such transaction");
  });

  it("exports a filtered view: exactly the intents the history's filters select, each whole from seq 1", async () => {
    const [first, second] = deposits;
    const res = await exportAs(VIEWER, `?scope=view&state=COMPLETED&action=DEPOSIT&q=${first}&from=${since}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("-view-");
    const text = await res.text();
    const result = verifyAudit(text);
    expect(result).toMatchObject({ ok: true });
    expect(result.manifest).toMatchObject({
      scope: "view",
      intents_complete: true,
      view: { state: ["COMPLETED"], action: "DEPOSIT", q: first },
    });
    const records = text
      .trim()
      .split("\n")
      .slice(0, -1)
      .map((line) => JSON.parse(line) as AuditRecord);
    expect(new Set(records.map((r) => r.data.intent_id))).toEqual(new Set([first]));
    const events = records.filter((r) => r.kind === "event");
    expect(events[0]?.data.seq_num).toBe(1);
    expect(records.some((r) => r.kind === "key_action")).toBe(false);
    // The same view as CSV verifies too; a view of both deposits holds both; a window after them holds none.
    expect(verifyAudit(await (await exportAs(VIEWER, `?scope=view&q=${first}&format=csv`)).text()).ok).toBe(true);
    const both = verifyAudit(await (await exportAs(VIEWER, `?scope=view&action=DEPOSIT&from=${since}`)).text());
    expect(both.manifest?.heads.map((h) => h.intent_id).sort()).toEqual([first, second].sort());
    const later = verifyAudit(await (await exportAs(VIEWER, `?scope=view&from=${new Date().toISOString()}`)).text());
    expect(later).toMatchObject({ ok: true, records: 0 });
    // The history filters mean nothing to a range export: refused rather than ignored.
    expect((await exportAs(VIEWER, "?state=COMPLETED")).status).toBe(400);
  });

  it("refuses an outsider, a reversed range and an unknown format", async () => {
    expect((await exportAs(OUTSIDER, "")).status).toBe(403);
    const reversed = await exportAs(VIEWER, `?from=${new Date().toISOString()}&to=${since}`);
    expect(reversed.status).toBe(400);
    expect((await exportAs(VIEWER, "?format=xml")).status).toBe(400);
  });

  const proofOf = async (id: string, sub = VIEWER) =>
    fetch(`${w.baseUrl}/defix/intents/${id}/proof`, { headers: await w.bearer(sub) });
  /** The intent's proof once the periodic checkpoint (every second here) holds its head. */
  const checkpointedProof = (id: string) =>
    poll(async () => {
      const body = (await (await proofOf(id)).json()) as IntentProof;
      const { checkpoint, inclusion, head } = body.proof;
      return checkpoint && inclusion && checkpoint.position >= head.position ? body : null;
    }, "checkpoint");

  it("proves one intent: its whole chain, held by the vault's signed checkpoint; any change fails", async () => {
    const [first] = deposits;
    const proof = await checkpointedProof(first as string);
    expect(proof.proof.inclusion?.seq_num).toBe(proof.proof.head.seq_num);
    expect(proof.proof.events.map((e) => e.seq_num)).toEqual(proof.proof.events.map((_, i) => i + 1));
    const file = path.join(dir, "proof.json");
    writeFileSync(file, JSON.stringify(proof, null, 2));
    const { stdout } = await run("npx", ["tsx", "scripts/audit/cli.ts", "verify-proof", file]);
    expect(stdout).toMatch(/^OK .*held at seq \d+ by the vault's checkpoint \d+/);
    const edit = (change: (p: IntentProof) => void): string => {
      const copy = JSON.parse(JSON.stringify(proof)) as IntentProof;
      change(copy);
      return JSON.stringify(copy);
    };
    expect(
      verifyProof(edit((p) => ((p.proof.events[0] as { created_at: string }).created_at = "2020-01-01T00:00:00.000Z")))
        .failure,
    ).toMatch(/^event seq 1 .*hash does not match/);
    expect(verifyProof(edit((p) => p.proof.events.splice(1, 1))).failure).toMatch(/is not seq 2/);
    expect(
      verifyProof(
        edit((p) => {
          if (p.proof.checkpoint) p.proof.checkpoint.intents += 1;
        }),
      ).failure,
    ).toMatch(/checkpoint \d+: its hash/);
    expect(
      verifyProof(
        edit((p) => {
          if (p.proof.inclusion) p.proof.inclusion.index += 1;
        }),
      ).failure,
    ).toBe("the proof's signature does not verify");
    expect(verifyProof(edit((p) => p.proof.inclusion?.path.reverse())).ok).toBe(
      proof.proof.inclusion?.path.length === 1,
    );
    // An export's manifest carries the vault's checkpoint, sealed, and still verifies.
    const exported = verifyAudit(await (await exportAs(VIEWER, `?from=${since}`)).text());
    expect(exported).toMatchObject({ ok: true });
    expect(exported.manifest?.checkpoint?.seq).toBeGreaterThanOrEqual(1);
    expect((await proofOf(first as string, OUTSIDER)).status).toBe(404);
    expect((await proofOf("00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  // Destructive: runs last. A deleted event leaves the vault's heads without the checkpoint's root.
  it("refuses to prove anything once the vault's records no longer match its checkpoint", async () => {
    const [, second] = deposits;
    const proof = await checkpointedProof(second as string);
    await w.oms.db.db
      .deleteFrom("intent_events")
      .where("intent_id", "=", second as string)
      .where("seq_num", "=", proof.proof.head.seq_num)
      .execute();
    const res = await proofOf(second as string);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("AUDIT_CHECKPOINT_MISMATCH");
  });
});
