import { AUDIT_CSV_COLUMNS, type AuditManifest, type AuditRecord, type AuditRecordKind } from "./audit";
import { canonicalJson, chainLink, recordDigest } from "./audit-chain";

/** Writing and reading audit export lines (JSONL or CSV); pure, shared by the OMS and the verifier. */

/** The export-chain link of record `n` (see lib/defix/audit.ts). */
export function recordLink(previous: string, kind: AuditRecordKind, data: unknown, n: number): string {
  return chainLink(previous, recordDigest({ kind, data }), n);
}

const csvCell = (value: unknown): string => {
  const text = value === undefined || value === null ? "" : typeof value === "string" ? value : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export function csvHeader(): string {
  return `${AUDIT_CSV_COLUMNS.join(",")}\n`;
}

export function formatRecord(record: AuditRecord, format: "jsonl" | "csv"): string {
  if (format === "jsonl") return `${canonicalJson(record)}\n`;
  const d = record.data;
  const cells = [
    record.n,
    record.kind,
    d.intent_id,
    d.seq_num,
    d.position,
    d.created_at,
    d.hash,
    d.prev_hash,
    record.link,
    canonicalJson(d),
  ];
  return `${cells.map(csvCell).join(",")}\n`;
}

/** The manifest: its own JSONL line, or in CSV a row of kind `manifest` with the signed JSON in `data`. */
export function formatManifest(manifest: AuditManifest, format: "jsonl" | "csv"): string {
  if (format === "jsonl") return `${canonicalJson(manifest)}\n`;
  const cells = AUDIT_CSV_COLUMNS.map((column) =>
    column === "kind" ? "manifest" : column === "data" ? canonicalJson(manifest) : "",
  );
  return `${cells.map(csvCell).join(",")}\n`;
}

/** Splits CSV text into rows of cells (RFC 4180: quoted cells may hold commas, quotes and newlines). */
export function parseCsv(text: string): { cells: string[]; line: number }[] {
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        cell += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      cells.push(cell);
      cell = "";
    } else if (c === "\n") {
      cells.push(cell);
      rows.push({ cells, line: rowLine });
      cells = [];
      cell = "";
      line++;
      rowLine = line;
    } else if (c !== "\r") cell += c;
  }
  if (cell !== "" || cells.length > 0) {
    cells.push(cell);
    rows.push({ cells, line: rowLine });
  }
  return rows;
}
