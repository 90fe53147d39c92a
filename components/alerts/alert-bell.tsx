"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { useAnnounce } from "@/components/layout/announcer";
import { Button } from "@/components/ui";
import type { Alert, AlertChange } from "@/lib/defix/alerts";
import { alertsOptions, markAlertRead, markAllAlertsRead, useAlertStream } from "@/lib/query/alerts";
import { queryKeys } from "@/lib/query/keys";
import { AlertItem } from "./alert-item";

/**
 * The notification center in the top bar: a bell with the live unread count and, on click, the newest
 * alerts (read/unread, each linking to its intent or canvas), "mark all read" and the full history.
 */
export function AlertBell() {
  const [isOpen, setIsOpen] = useState(false);
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const pathname = usePathname();
  const panel = useRef<HTMLElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const alerts = useQuery(alertsOptions());
  const onAlert = useCallback(
    (change: AlertChange) => {
      if (change.change === "raised") announce(`New alert: ${change.alert.title}`);
    },
    [announce],
  );
  const streamStatus = useAlertStream(onAlert);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.alerts.all });
  const read = useMutation({ mutationFn: markAlertRead, onSettled: refresh });
  const readAll = useMutation({ mutationFn: markAllAlertsRead, onSettled: refresh });

  // biome-ignore lint/correctness/useExhaustiveDependencies: closing on navigation is the point
  useEffect(() => setIsOpen(false), [pathname]);
  useEffect(() => {
    if (!isOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setIsOpen(false);
        button.current?.focus();
      }
    };
    const onClick = (event: MouseEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setIsOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [isOpen]);

  const unread = alerts.data?.unread ?? 0;
  const open = (alert: Alert) => {
    if (!alert.is_read) read.mutate(alert.alert_id);
    setIsOpen(false);
  };
  return (
    <div className="relative">
      <button
        ref={button}
        type="button"
        aria-expanded={isOpen}
        aria-controls="alert-panel"
        aria-label={unread > 0 ? `Alerts, ${unread} unread` : "Alerts"}
        data-testid="alert-bell"
        onClick={() => setIsOpen((value) => !value)}
        className="relative rounded px-2 py-1 text-zinc-700 hover:bg-zinc-100"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5" fill="currentColor">
          <path d="M10 2a5 5 0 0 0-5 5v2.6c0 .5-.2 1-.5 1.4L3.3 12.6A1 1 0 0 0 4.1 14h11.8a1 1 0 0 0 .8-1.4L15.5 11c-.3-.4-.5-.9-.5-1.4V7a5 5 0 0 0-5-5Zm-2 13a2 2 0 0 0 4 0H8Z" />
        </svg>
        {unread > 0 ? (
          <span
            data-testid="alert-unread"
            className="absolute -top-1 -right-1 min-w-5 rounded-full bg-rose-600 px-1 text-center text-xs font-semibold text-white"
          >
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </button>
      {isOpen ? (
        <section
          ref={panel}
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
            <Button
              size="sm"
              variant="ghost"
              disabled={unread === 0 || readAll.isPending}
              onClick={() => readAll.mutate()}
            >
              Mark all read
            </Button>
            <Link href="/alerts" className="text-sm font-medium text-sky-700 hover:underline">
              All alerts
            </Link>
          </div>
        </section>
      ) : null}
    </div>
  );
}
