import { queryString, toApiError } from "./fetcher";
import { type IntentFilters, toListParams } from "./intent-filters";

/** The console's "Export" of the intent history (docs/ARCHITECTURE.md, "Audit chain": scope=view). */
export type ExportFormat = "csv" | "jsonl";

export interface ExportProgress {
  bytes: number;
  /** Records received so far (lines, without the CSV header; the manifest is counted once it arrives). */
  records: number;
}

export interface ExportedFile {
  blob: Blob;
  filename: string;
  bytes: number;
  /** Records in the file, without the manifest. */
  records: number;
}

/** The BFF URL exporting exactly the filtered view: the history's own list parameters, per vault. */
export function viewExportUrl(vaultId: string, filters: IntentFilters, format: ExportFormat, now: number): string {
  const { vault_id: _vault, ...params } = toListParams(filters, now);
  const search = queryString({ ...params, scope: "view", format });
  return `/api/oms/vaults/${encodeURIComponent(vaultId)}/audit${search}`;
}

const NEWLINE = 0x0a;

function filenameOf(response: Response, format: ExportFormat): string {
  const match = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "");
  return match?.[1] ?? `audit-export.${format}`;
}

/**
 * Streams the export, reporting bytes and records as they arrive; `signal` cancels it (the request is
 * aborted, the OMS stops reading). One record per line: the data cells are canonical JSON, whose strings
 * escape newlines, so counting newlines counts records in CSV too.
 */
export async function streamExport(
  url: string,
  format: ExportFormat,
  signal: AbortSignal,
  onProgress: (progress: ExportProgress) => void,
): Promise<ExportedFile> {
  const response = await fetch(url, { signal, headers: { accept: "*/*" } });
  if (!response.ok) throw await toApiError(response);
  const reader = response.body?.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  let lines = 0;
  const header = format === "csv" ? 1 : 0;
  for (;;) {
    const next = reader === undefined ? { done: true as const, value: undefined } : await reader.read();
    if (next.done) break;
    chunks.push(next.value);
    bytes += next.value.byteLength;
    for (const byte of next.value) if (byte === NEWLINE) lines += 1;
    onProgress({ bytes, records: Math.max(0, lines - header) });
  }
  const records = Math.max(0, lines - header - 1);
  const type = format === "csv" ? "text/csv" : "application/x-ndjson";
  return { blob: new Blob(chunks, { type }), filename: filenameOf(response, format), bytes, records };
}

/** Hands a finished file to the browser's downloads (an object URL, revoked once the click has used it). */
export function saveFile(file: ExportedFile): void {
  const href = URL.createObjectURL(file.blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = file.filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export { formatBytes } from "@/lib/format/bytes";
