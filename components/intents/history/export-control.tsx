"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { formatBytes } from "@/lib/format/bytes";
import type { ExportFormat } from "@/lib/query/audit-export";
import type { IntentFilters } from "@/lib/query/intent-filters";

type ExportState =
  | { kind: "idle" }
  | { kind: "running"; bytes: number; records: number }
  | { kind: "done"; bytes: number; records: number; filename: string }
  | { kind: "cancelled" }
  | { kind: "error"; message: string };

const selectClass =
  "rounded-md border border-zinc-300 bg-surface px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-blue-600";

function statusText(state: ExportState, vaultId: string | null): string {
  if (vaultId === null) return "Choose a vault to export its view";
  const count = (records: number, bytes: number) => `${records.toLocaleString("en")} records · ${formatBytes(bytes)}`;
  switch (state.kind) {
    case "running":
      return `Exporting… ${count(state.records, state.bytes)}`;
    case "done":
      return `Exported ${count(state.records, state.bytes)} to ${state.filename}`;
    case "cancelled":
      return "Export cancelled";
    case "error":
      return `Export failed: ${state.message}`;
    default:
      return "";
  }
}

/**
 * "Export" on the intent history: exactly the filtered view of one vault (the OMS's audit export with
 * scope=view), CSV for spreadsheets or JSONL with hashes for auditors, streamed with a running count and
 * cancellable. The file ends with the signed manifest: `npm run audit -- verify FILE` checks it.
 */
export function ExportControl({ filters, vaultId }: { filters: IntentFilters; vaultId: string | null }) {
  const [format, setFormat] = useState<ExportFormat>("csv");
  const [state, setState] = useState<ExportState>({ kind: "idle" });
  const running = useRef<AbortController | null>(null);
  useEffect(() => () => running.current?.abort(), []);

  const start = () => {
    if (vaultId === null) return;
    const controller = new AbortController();
    running.current = controller;
    setState({ kind: "running", bytes: 0, records: 0 });
    const requestedAt = Date.now();
    // The streaming and file code loads on the first export: most visits to the history export nothing.
    import("@/lib/query/audit-export")
      .then(({ saveFile, streamExport, viewExportUrl }) =>
        streamExport(viewExportUrl(vaultId, filters, format, requestedAt), format, controller.signal, (progress) =>
          setState({ kind: "running", ...progress }),
        ).then((file) => ({ file, saveFile })),
      )
      .then(({ file, saveFile }) => {
        saveFile(file);
        setState({ kind: "done", bytes: file.bytes, records: file.records, filename: file.filename });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) setState({ kind: "cancelled" });
        else setState({ kind: "error", message: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => {
        if (running.current === controller) running.current = null;
      });
  };

  return (
    <fieldset aria-label="Export the filtered view" className="flex items-center gap-2">
      <select
        aria-label="Export format"
        value={format}
        onChange={(event) => setFormat(event.target.value as ExportFormat)}
        className={selectClass}
        disabled={state.kind === "running"}
      >
        <option value="csv">CSV (spreadsheets)</option>
        <option value="jsonl">JSONL with hashes (auditors)</option>
      </select>
      {state.kind === "running" ? (
        <Button size="sm" onClick={() => running.current?.abort()}>
          Cancel export
        </Button>
      ) : (
        <Button size="sm" onClick={start} disabled={vaultId === null}>
          Export
        </Button>
      )}
      <span role="status" data-testid="export-status" data-state={state.kind} className="text-xs text-zinc-600">
        {statusText(state, vaultId)}
      </span>
    </fieldset>
  );
}
