"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { ShortHex } from "@/components/ui/short-hex";
import { sessionKeyHistoryOptions } from "@/lib/query/session-keys";

const LABEL: Record<string, string> = {
  PREPARED: "Grant prepared",
  GRANTED: "Granted",
  ROTATION_PREPARED: "Rotation prepared",
  ROTATED: "Rotated",
  ROTATION_CANCELED: "Rotation cancelled",
  REVOKE_PREPARED: "Revoke prepared",
  REVOKED: "Revoked",
  EXPIRED: "Expired",
  INVALIDATED: "Invalidated",
};

/** The audit trail of the vault's key: who changed what, when, with which transaction. */
export function SessionKeyHistoryPanel({ vaultId }: { vaultId: string }) {
  const [isOpen, setOpen] = useState(false);
  const history = useQuery({ ...sessionKeyHistoryOptions(vaultId), enabled: isOpen });
  return (
    <section aria-label="Session key history" className="rounded-lg border border-zinc-200 bg-surface">
      <Button
        variant="ghost"
        className="w-full justify-between"
        aria-expanded={isOpen}
        onClick={() => setOpen(!isOpen)}
      >
        Session key history
        <span aria-hidden>{isOpen ? "▴" : "▾"}</span>
      </Button>
      {isOpen ? (
        <div className="border-t border-zinc-100 px-4 py-3 text-sm">
          {history.isPending ? <p role="status">Loading history…</p> : null}
          {history.isError ? (
            <p role="alert" className="text-rose-800">
              {history.error.message}{" "}
              <Button size="sm" onClick={() => history.refetch()}>
                Retry
              </Button>
            </p>
          ) : null}
          {history.data && history.data.entries.length === 0 ? <p>No session-key changes yet.</p> : null}
          {history.data && history.data.entries.length > 0 ? (
            <table aria-label="Session key changes" className="w-full text-left">
              <thead className="text-xs text-zinc-600">
                <tr>
                  <th scope="col" className="py-1 font-medium">
                    Change
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    Key
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    By
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    Transaction
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    When
                  </th>
                </tr>
              </thead>
              <tbody>
                {history.data.entries.map((entry) => (
                  <tr key={entry.id} className="border-t border-zinc-100">
                    <td className="py-1.5">{LABEL[entry.type] ?? entry.type}</td>
                    <td className="py-1.5 font-mono text-xs">
                      {entry.session_key_address ? <ShortHex value={entry.session_key_address} /> : "–"}
                    </td>
                    <td className="py-1.5 font-mono text-xs">{entry.actor ? <ShortHex value={entry.actor} /> : "–"}</td>
                    <td className="py-1.5 font-mono text-xs">
                      {entry.tx_hash ? <ShortHex value={entry.tx_hash} /> : "–"}
                    </td>
                    <td className="py-1.5">
                      <RelativeTime iso={entry.created_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
