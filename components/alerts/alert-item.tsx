"use client";

import Link from "next/link";
import { useVaultName } from "@/components/layout/vault-names";
import { Badge, type Tone } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import type { Alert, AlertSeverity } from "@/lib/defix/alerts";
import { alertHref, isKeyExpiryAlert } from "@/lib/query/alerts";

const SEVERITY_TONE: Record<AlertSeverity, Tone> = { info: "info", warning: "warning", critical: "danger" };

/** One alert: what happened, when, whether it still holds, read or not, and where to act on it. */
export function AlertItem({ alert, onOpen }: { alert: Alert; onOpen: (alert: Alert) => void }) {
  const href = alertHref(alert);
  const vault = useVaultName(alert.vault_id);
  return (
    <li
      className={`flex flex-col gap-1 border-b border-zinc-200 px-3 py-2 last:border-b-0 ${alert.is_read ? "" : "bg-sky-50/60"}`}
      data-testid="alert-item"
      data-kind={alert.kind}
      data-read={alert.is_read ? "true" : "false"}
    >
      <div className="flex items-start justify-between gap-2">
        <Link
          href={href}
          onClick={() => onOpen(alert)}
          className={`text-sm hover:underline ${alert.is_read ? "text-zinc-700" : "font-semibold text-zinc-900"}`}
        >
          {alert.is_read ? null : <span className="sr-only">Unread: </span>}
          {alert.title}
        </Link>
        <Badge tone={alert.state === "open" ? SEVERITY_TONE[alert.severity] : "neutral"}>
          {alert.state === "open" ? alert.severity : "resolved"}
        </Badge>
      </div>
      <p className="line-clamp-2 text-xs text-zinc-600">{alert.message}</p>
      <div className="flex items-center justify-between gap-2 text-xs text-zinc-600">
        <span>
          <RelativeTime iso={alert.raised_at} /> ·{" "}
          <span data-testid="alert-vault" title={alert.vault_id} className={vault.isKnown ? "" : "font-mono"}>
            {vault.name}
          </span>
        </span>
        {isKeyExpiryAlert(alert) && alert.state === "open" ? (
          <Link
            href={`/vaults/${encodeURIComponent(alert.vault_id)}/canvas?renew=1`}
            onClick={() => onOpen(alert)}
            className={buttonClass("primary", "sm")}
          >
            Renew key
          </Link>
        ) : null}
      </div>
    </li>
  );
}
