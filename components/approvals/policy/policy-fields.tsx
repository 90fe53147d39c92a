"use client";

import { INTENT_ACTIONS } from "@/lib/defix/states";
import type { PolicyForm } from "./policy-form";

const inputClass =
  "rounded-md border border-zinc-300 bg-surface px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-blue-600";

/** The policy's fields: rules (any match catches an intent), members, threshold, tolerance. */
export function PolicyFields({
  form,
  onChange,
  disabled,
}: {
  form: PolicyForm;
  onChange: (next: PolicyForm) => void;
  disabled: boolean;
}) {
  const set = <K extends keyof PolicyForm>(key: K, value: PolicyForm[K]) => onChange({ ...form, [key]: value });
  return (
    <fieldset disabled={disabled} className="grid gap-3 text-sm md:grid-cols-2">
      <label className="flex flex-col gap-1">
        Name
        <input className={inputClass} value={form.display_name} onChange={(e) => set("display_name", e.target.value)} />
      </label>
      <fieldset className="flex flex-col gap-1">
        <legend>Rules (any one catches an intent)</legend>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={form.always} onChange={(e) => set("always", e.target.checked)} />
          Every intent
        </label>
        <span className="flex flex-wrap gap-3">
          {INTENT_ACTIONS.map((action) => (
            <label key={action} className="flex items-center gap-1">
              <input
                type="checkbox"
                checked={form.actions.includes(action)}
                onChange={(e) =>
                  set(
                    "actions",
                    e.target.checked ? [...form.actions, action] : form.actions.filter((a) => a !== action),
                  )
                }
              />
              {action}
            </label>
          ))}
        </span>
        <label className="flex flex-col gap-1">
          Size above (asset base units, empty = no size rule)
          <input
            className={`${inputClass} font-mono`}
            inputMode="numeric"
            value={form.size_above}
            onChange={(e) => set("size_above", e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1">
          Targets (yield source addresses, one a line)
          <textarea
            className={`${inputClass} font-mono`}
            rows={2}
            value={form.targets}
            onChange={(e) => set("targets", e.target.value)}
          />
        </label>
      </fieldset>
      <fieldset className="flex flex-col gap-1">
        <legend>Members</legend>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={form.managers} onChange={(e) => set("managers", e.target.checked)} />
          The vault's managers
        </label>
        <label className="flex flex-col gap-1">
          Named addresses (one a line; contract wallets allowed)
          <textarea
            className={`${inputClass} font-mono`}
            rows={3}
            value={form.addresses}
            onChange={(e) => set("addresses", e.target.value)}
          />
        </label>
      </fieldset>
      <div className="flex flex-col gap-2">
        <label className="flex flex-col gap-1">
          Threshold (signatures needed)
          <input
            type="number"
            min={1}
            className={inputClass}
            value={form.threshold}
            onChange={(e) => set("threshold", e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1">
          Size tolerance (basis points an approval still covers)
          <input
            type="number"
            min={0}
            max={10000}
            className={inputClass}
            value={form.tolerance_bps}
            onChange={(e) => set("tolerance_bps", e.target.value)}
          />
        </label>
      </div>
    </fieldset>
  );
}
