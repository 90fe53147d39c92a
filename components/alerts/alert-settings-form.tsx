"use client";

import { type FormEvent, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { ALERT_SETTINGS_LIMITS, type AlertSettingsKey } from "@/lib/defix/alert-lists";
import type { AlertSettings } from "@/lib/defix/alerts";

type Key = AlertSettingsKey;

interface Field {
  key: Key;
  label: string;
  unit: string;
  help: string;
  /** Shown and typed as a percentage (stored 0..1). */
  isPercent?: boolean;
}

const FIELDS: Field[] = [
  { key: "waiting_minutes", label: "Intent waiting longer than", unit: "minutes", help: "Raises INTENT_WAITING." },
  {
    key: "min_executions_left",
    label: "Gas money for fewer than",
    unit: "executions",
    help: "Raises GAS_LOW at the current fee.",
  },
  {
    key: "failure_rate",
    label: "Strategy failure rate above",
    unit: "%",
    help: "Failed, aborted or expired among the intents ended in the window.",
    isPercent: true,
  },
  { key: "failure_window_minutes", label: "Failure-rate window", unit: "minutes", help: "How far back to count." },
  {
    key: "failure_min_intents",
    label: "Only with at least",
    unit: "ended intents",
    help: "Fewer in the window raise nothing.",
  },
];

/** The contract's bounds of a field, as the form shows them (percent for the rate). */
function bounds(field: Field): { min: number; max: number } {
  const { min, max } = ALERT_SETTINGS_LIMITS[field.key];
  const scale = field.isPercent ? 100 : 1;
  return { min: min * scale, max: max * scale };
}

const toText = (settings: AlertSettings): Record<Key, string> =>
  Object.fromEntries(
    FIELDS.map((field) => [
      field.key,
      String(field.isPercent ? Math.round(settings[field.key] * 10_000) / 100 : settings[field.key]),
    ]),
  ) as Record<Key, string>;

/**
 * Parses the typed values against the contract's bounds (`alert-lists.ts`, the same the OMS validates
 * with): the settings, or a message per field. Checked by hand so the page ships no schema library; the OMS
 * stays the judge and its 400 is shown as it comes.
 */
export function parseSettings(
  text: Record<Key, string>,
): { settings: AlertSettings } | { errors: Partial<Record<Key, string>> } {
  const errors: Partial<Record<Key, string>> = {};
  const settings = {} as AlertSettings;
  for (const field of FIELDS) {
    const value = text[field.key].trim();
    const number = Number(value);
    const { min, max } = bounds(field);
    if (value === "" || !Number.isFinite(number)) errors[field.key] = "Enter a number.";
    else if (ALERT_SETTINGS_LIMITS[field.key].isInteger && !Number.isInteger(number))
      errors[field.key] = "Enter a whole number.";
    else if (number < min || number > max) errors[field.key] = `Between ${min} and ${max}.`;
    settings[field.key] = field.isPercent ? number / 100 : number;
  }
  return Object.keys(errors).length > 0 ? { errors } : { settings };
}

/** A vault's thresholds: editable by the primary manager, read-only for the others. */
export function AlertSettingsForm(props: {
  settings: AlertSettings;
  canEdit: boolean;
  isBusy: boolean;
  onSubmit: (settings: AlertSettings) => void;
}) {
  const id = useId();
  const [text, setText] = useState(() => toText(props.settings));
  const [errors, setErrors] = useState<Partial<Record<Key, string>>>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = parseSettings(text);
    if ("errors" in result) {
      setErrors(result.errors);
      const first = FIELDS.find((field) => result.errors[field.key] !== undefined);
      if (first) document.getElementById(`${id}-${first.key}`)?.focus();
      return;
    }
    setErrors({});
    props.onSubmit(result.settings);
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Alert thresholds" className="flex flex-col gap-3">
      <div className="grid gap-3 sm:grid-cols-2">
        {FIELDS.map((field) => {
          const { min, max } = bounds(field);
          const error = errors[field.key];
          return (
            <div key={field.key}>
              <label htmlFor={`${id}-${field.key}`} className="text-sm font-medium">
                {field.label} <span className="font-normal text-zinc-600">({field.unit})</span>
              </label>
              <input
                id={`${id}-${field.key}`}
                name={field.key}
                type="number"
                inputMode={field.isPercent ? "decimal" : "numeric"}
                min={min}
                max={max}
                step={field.isPercent ? "any" : 1}
                readOnly={!props.canEdit}
                aria-invalid={error ? true : undefined}
                aria-describedby={`${id}-${field.key}-help`}
                value={text[field.key]}
                onChange={(event) => setText({ ...text, [field.key]: event.target.value })}
                className={`mt-1 w-full rounded-md border bg-surface px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-blue-600 read-only:bg-zinc-100 ${error ? "border-red-600" : "border-zinc-300"}`}
              />
              <p id={`${id}-${field.key}-help`} className={`mt-1 text-xs ${error ? "text-red-700" : "text-zinc-600"}`}>
                {error ?? `${field.help} ${min}–${max}.`}
              </p>
            </div>
          );
        })}
      </div>
      {props.canEdit ? (
        <div className="flex justify-end gap-2">
          <Button
            onClick={() => {
              setText(toText(props.settings));
              setErrors({});
            }}
            disabled={props.isBusy}
          >
            Reset
          </Button>
          <Button type="submit" variant="primary" disabled={props.isBusy}>
            {props.isBusy ? "Saving…" : "Save thresholds"}
          </Button>
        </div>
      ) : null}
    </form>
  );
}
