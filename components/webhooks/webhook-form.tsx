"use client";

import { type FormEvent, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { ALERT_KINDS, WEBHOOK_DESCRIPTION_MAX, WEBHOOK_URL_MAX } from "@/lib/defix/alert-lists";
import { MESSAGE_TYPES } from "@/lib/defix/states";

export interface WebhookFormValues {
  url: string;
  description: string;
  event_types: string[];
  alert_kinds: string[];
}

const inputClass =
  "w-full rounded-md border border-zinc-300 bg-surface px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-blue-600";

/** "All" (`*`) or a chosen subset, as checkboxes. */
function Subscription(props: {
  legend: string;
  allLabel: string;
  options: readonly string[];
  value: string[];
  onChange: (next: string[]) => void;
}) {
  const isAll = props.value.includes("*");
  const toggle = (name: string) =>
    props.onChange(props.value.includes(name) ? props.value.filter((item) => item !== name) : [...props.value, name]);
  return (
    <fieldset className="rounded-md border border-zinc-200 p-3">
      <legend className="px-1 text-sm font-medium">{props.legend}</legend>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={isAll} onChange={() => props.onChange(isAll ? [] : ["*"])} />
        {props.allLabel}
      </label>
      {isAll ? null : (
        <div className="mt-2 grid grid-cols-2 gap-1 sm:grid-cols-3">
          {props.options.map((name) => (
            <label key={name} className="flex items-center gap-2 font-mono text-xs">
              <input type="checkbox" checked={props.value.includes(name)} onChange={() => toggle(name)} />
              {name}
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}

/** Create and edit share this form; the OMS checks the URL (https, public address) and answers with a code. */
export function WebhookForm(props: {
  initial: WebhookFormValues;
  submitLabel: string;
  isBusy: boolean;
  suggestedUrl: string | null;
  onSubmit: (values: WebhookFormValues) => void;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState(props.initial);
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit(values);
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label={props.submitLabel}>
      <div>
        <label htmlFor={`${id}-url`} className="text-sm font-medium">
          Endpoint URL
        </label>
        <input
          id={`${id}-url`}
          type="url"
          required
          maxLength={WEBHOOK_URL_MAX}
          placeholder="https://example.com/defix-webhooks"
          value={values.url}
          onChange={(e) => setValues({ ...values, url: e.target.value })}
          className={`${inputClass} mt-1 font-mono`}
        />
        {props.suggestedUrl ? (
          <p className="mt-1 text-xs text-zinc-600">
            Development: the local receiver started by <code>npm start</code> listens at{" "}
            <code>{props.suggestedUrl}</code>.{" "}
            <Button size="sm" variant="ghost" onClick={() => setValues({ ...values, url: props.suggestedUrl ?? "" })}>
              Use the local receiver
            </Button>
          </p>
        ) : null}
      </div>
      <div>
        <label htmlFor={`${id}-description`} className="text-sm font-medium">
          Description <span className="font-normal text-zinc-600">(optional)</span>
        </label>
        <input
          id={`${id}-description`}
          maxLength={WEBHOOK_DESCRIPTION_MAX}
          value={values.description}
          onChange={(e) => setValues({ ...values, description: e.target.value })}
          className={`${inputClass} mt-1`}
        />
      </div>
      <Subscription
        legend="Intent events"
        allLabel="All intent events"
        options={MESSAGE_TYPES}
        value={values.event_types}
        onChange={(event_types) => setValues({ ...values, event_types })}
      />
      <Subscription
        legend="Alerts (raised and resolved)"
        allLabel="All alerts"
        options={ALERT_KINDS}
        value={values.alert_kinds}
        onChange={(alert_kinds) => setValues({ ...values, alert_kinds })}
      />
      <div className="flex justify-end gap-2">
        {props.onCancel ? <Button onClick={props.onCancel}>Cancel</Button> : null}
        <Button type="submit" variant="primary" disabled={props.isBusy}>
          {props.isBusy ? "Saving…" : props.submitLabel}
        </Button>
      </div>
    </form>
  );
}
