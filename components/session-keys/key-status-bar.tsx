"use client";

import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { ShortHex } from "@/components/ui/short-hex";
import type { Role } from "@/lib/defix/common";
import type { Readiness } from "@/lib/defix/session-keys";
import { shortHex } from "@/lib/format/hex";
import { isExpiringSoon } from "./gate-state";
import { KeyFlowPanel } from "./key-flow-panel";
import { PendingRotationActions } from "./pending-rotation-actions";
import type { VaultWalletTarget } from "./wallet-check";

type OpenPanel = "rotation" | "revoke" | null;

interface KeyStatusBarProps {
  vaultId: string;
  role: Role;
  target: VaultWalletTarget;
  readiness: Readiness;
  onSigningOpenChange: (isOpen: boolean) => void;
}

/** The ready key at a glance, the expiry warning, and (for the primary manager) rotate and revoke. */
export function KeyStatusBar({ vaultId, role, target, readiness, onSigningOpenChange }: KeyStatusBarProps) {
  const isPrimary = role === "PRIMARY_MANAGER";
  // `?renew=1` (an expiry alert's or the overview strip's "Renew") opens the rotation flow at once.
  const isRenewLink = useSearchParams().get("renew") === "1";
  const [open, setOpen] = useState<OpenPanel>(
    isRenewLink && isPrimary && !readiness.pending_rotation ? "rotation" : null,
  );
  const isExpiring = isExpiringSoon(readiness, Date.now());
  return (
    <section aria-label="Session key" className="flex flex-col gap-3 rounded-lg border border-zinc-200 bg-surface p-4">
      {isExpiring && readiness.expires_at ? (
        <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          The session key expires <RelativeTime iso={readiness.expires_at} />. Rotate it before then, or automation
          stops.
          {isPrimary ? (
            <Button size="sm" variant="primary" className="ml-3" onClick={() => setOpen("rotation")}>
              Rotate now
            </Button>
          ) : null}
        </div>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-zinc-700">
          <span className="mr-2 inline-block size-2 rounded-full bg-emerald-500" aria-hidden />
          Session key{" "}
          <code title={readiness.session_key_address ?? undefined}>
            <ShortHex value={readiness.session_key_address ?? ""} className="" />
          </code>{" "}
          is active
          {readiness.expires_at ? (
            <>
              {" "}
              · expires <RelativeTime iso={readiness.expires_at} />
            </>
          ) : null}
        </p>
        {isPrimary && !readiness.pending_rotation ? (
          <div className="flex gap-2">
            <Button
              size="sm"
              onClick={() => setOpen(open === "rotation" ? null : "rotation")}
              aria-expanded={open === "rotation"}
            >
              Rotate key
            </Button>
            <Button
              size="sm"
              variant="danger"
              onClick={() => setOpen(open === "revoke" ? null : "revoke")}
              aria-expanded={open === "revoke"}
            >
              Revoke key
            </Button>
          </div>
        ) : null}
      </div>
      {readiness.pending_rotation ? (
        <div className="rounded-md border border-sky-200 bg-sky-50 p-3 text-sm text-sky-900">
          <p className="mb-2">
            A rotation to <code>{shortHex(readiness.pending_session_key_address ?? "")}</code> is pending. Complete it
            once your transaction has mined, or cancel it.
          </p>
          {isPrimary ? <PendingRotationActions vaultId={vaultId} /> : null}
        </div>
      ) : null}
      {open === "rotation" && isPrimary ? (
        <div className="rounded-md border border-zinc-200 p-3" data-testid="rotation-flow">
          <h3 className="mb-2 text-sm font-semibold">Rotate the session key</h3>
          <p className="mb-3 text-sm text-zinc-600">
            One transaction grants a new OMS-held key and revokes the current one; automation keeps running.
          </p>
          <KeyFlowPanel
            operation="rotation"
            vaultId={vaultId}
            target={target}
            currentKey={readiness.session_key_address}
            onOpenChange={onSigningOpenChange}
            onDone={() => setOpen(null)}
          />
        </div>
      ) : null}
      {open === "revoke" && isPrimary ? (
        <div className="rounded-md border border-rose-200 bg-rose-50/40 p-3" data-testid="revoke-confirmation">
          <h3 className="mb-1 text-sm font-semibold text-rose-900">Revoke the session key?</h3>
          <p className="mb-3 text-sm text-rose-900">
            Automation will stop: no strategy of this vault can publish intents until a new key is granted. Intents
            already executing finish; waiting ones stay waiting.
          </p>
          <KeyFlowPanel
            operation="revoke"
            vaultId={vaultId}
            target={target}
            currentKey={readiness.session_key_address}
            onOpenChange={onSigningOpenChange}
          />
          <Button size="sm" variant="ghost" className="mt-2" onClick={() => setOpen(null)}>
            Keep the key
          </Button>
        </div>
      ) : null}
    </section>
  );
}
