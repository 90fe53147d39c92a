"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { useAnnounce } from "@/components/layout/announcer";
import type { AlertChange } from "@/lib/defix/alerts";
import { alertsOptions, useAlertStream } from "@/lib/query/alerts-live";
import { queryKeys } from "@/lib/query/keys";

// The list, its items and the read mutations load on the first open: every page carries the bell, few open it.
const AlertPanel = lazy(() => import("./alert-panel").then((module) => ({ default: module.AlertPanel })));

/**
 * The notification center in the top bar: a bell with the live unread count and, on click, the newest
 * alerts (read/unread, each linking to its intent or canvas), "mark all read" and the full history
 * (`alert-panel.tsx`).
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
        <Suspense fallback={null}>
          <AlertPanel
            panelRef={panel}
            alerts={alerts}
            unread={unread}
            streamStatus={streamStatus}
            onRefresh={refresh}
            onClose={() => setIsOpen(false)}
          />
        </Suspense>
      ) : null}
    </div>
  );
}
