"use client";

import { type UseQueryResult, useMutation } from "@tanstack/react-query";
import Link from "next/link";
import type { Ref } from "react";
import { Button } from "@/components/ui/button";
import type { Alert, AlertList } from "@/lib/defix/alerts";
import { markAlertRead, markAllAlertsRead } from "@/lib/query/alerts";
import type { StreamStatus } from "@/lib/query/sse";
import { AlertItem } from "./alert-item";

/** The bell's open panel: the newest alerts, "mark all read" and the link to the full history. */
export function AlertPanel({
  panelRef,
  alerts,
  unread,
  streamStatus,
  onRefresh,
  onClose,
}: {
  panelRef: Ref<HTMLElement>;
  alerts: UseQueryResult<AlertList>;
  unread: number;
  streamStatus: StreamStatus;
  onRefresh: () => Promise<void>;
  onClose: () => void;
}) {
  const read = useMutation({ mutationFn: markAlertRead, onSettled: onRefresh });
  const readAll = useMutation({ mutationFn: markAllAlertsRead, onSettled: onRefresh });
  const open = (alert: Alert) => {
    if (!alert.is_read) read.mutate(alert.alert_id);
    onClose();
  };
  return (
    <section
      ref={panelRef}
      id="alert-panel"
      aria-label="Alerts"
      className="absolute right-0 z-40 mt-2 w-96 max-w-[calc(100vw-2rem)] rounded-lg border border-zinc-200 bg-surface shadow-lg"
    >
      <div className="flex items-center justify-between border-b border-zinc-200 px-3 py-2">
        <h2 className="text-sm font-semibold">Alerts</h2>
        <span className="text-xs text-zinc-600">
          {streamStatus === "live" ? "Live" : streamStatus === "connecting" ? "Connecting…" : "Reconnecting…"}
        </span>
      </div>
      {alerts.isPending ? (
        <p className="px-3 py-4 text-sm text-zinc-600">Loading alerts…</p>
      ) : alerts.isError ? (
        <p role="alert" className="px-3 py-4 text-sm text-rose-700">
          Alerts could not be loaded.{" "}
          <button type="button" className="underline" onClick={() => void alerts.refetch()}>
            Retry
          </button>
        </p>
      ) : alerts.data.alerts.length === 0 ? (
        <p className="px-3 py-4 text-sm text-zinc-600">No alerts. The OMS raises one when something needs you.</p>
      ) : (
        <ul className="max-h-96 overflow-y-auto" data-testid="alert-list">
          {alerts.data.alerts.map((alert) => (
            <AlertItem key={alert.alert_id} alert={alert} onOpen={open} />
          ))}
        </ul>
      )}
      <div className="flex items-center justify-between border-t border-zinc-200 px-3 py-2">
        <Button size="sm" variant="ghost" disabled={unread === 0 || readAll.isPending} onClick={() => readAll.mutate()}>
          Mark all read
        </Button>
        <Link href="/alerts" className="text-sm font-medium text-sky-700 hover:underline">
          All alerts
        </Link>
      </div>
    </section>
  );
}
