"use client";

import { Button } from "@/components/ui/button";

interface KillSwitchProps {
  isEngaged: boolean;
  canManage: boolean;
  isSaving: boolean;
  onChange: (engaged: boolean) => void;
}

/** The vault-level stop: engaging it sets every strategy IDLE and blocks starting one until released. */
export function KillSwitch({ isEngaged, canManage, isSaving, onChange }: KillSwitchProps) {
  return (
    <section
      aria-label="Kill switch"
      className={`flex flex-wrap items-center justify-between gap-3 rounded-lg border p-3 ${
        isEngaged ? "border-rose-300 bg-rose-50" : "border-zinc-200 bg-surface"
      }`}
    >
      <p className="text-sm">
        <span className="font-semibold">Kill switch {isEngaged ? "engaged" : "off"}.</span>{" "}
        {isEngaged
          ? "Every strategy of this vault is stopped; release the switch to start them again."
          : "Engage it to stop every strategy of this vault at once."}
      </p>
      {canManage ? (
        <Button
          variant={isEngaged ? "secondary" : "danger"}
          size="sm"
          disabled={isSaving}
          onClick={() => onChange(!isEngaged)}
        >
          {isSaving ? "Saving…" : isEngaged ? "Release kill switch" : "Engage kill switch"}
        </Button>
      ) : null}
    </section>
  );
}
