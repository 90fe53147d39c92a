"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/intents/ui/confirm-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import type { UpdateWebhookRequest, WebhookEndpoint } from "@/lib/defix/webhooks";
import { queryKeys } from "@/lib/query/keys";
import { deleteWebhook, rotateWebhookSecret, testWebhook, updateWebhook } from "@/lib/query/webhooks";
import { DeliveryLog } from "./delivery-log";
import { FailureText } from "./failure-text";
import { WebhookForm, type WebhookFormValues } from "./webhook-form";

const summary = (list: string[], all: string) =>
  list.includes("*") ? all : list.length === 0 ? "none" : list.join(", ");

/** One endpoint: its state, its subscriptions, and what a manager does with it. */
export function EndpointCard(props: {
  endpoint: WebhookEndpoint;
  suggestedUrl: string | null;
  onSecret: (secret: string, url: string) => void;
}) {
  const { endpoint } = props;
  const client = useQueryClient();
  const [dialog, setDialog] = useState<"edit" | "delete" | "rotate" | null>(null);
  const [isLogOpen, setLogOpen] = useState(false);
  // Not awaited by the mutations: their answer shows at once, the list catches up.
  const refresh = () => void client.invalidateQueries({ queryKey: queryKeys.vaults.webhooks(endpoint.vault_id) });
  const update = useMutation({
    mutationFn: (body: UpdateWebhookRequest) => updateWebhook(endpoint.webhook_id, body),
    onSuccess: () => setDialog(null),
    onSettled: refresh,
  });
  const remove = useMutation({ mutationFn: () => deleteWebhook(endpoint.webhook_id), onSettled: refresh });
  const rotate = useMutation({
    mutationFn: () => rotateWebhookSecret(endpoint.webhook_id),
    onSuccess: (created) => {
      setDialog(null);
      props.onSecret(created.secret, created.url);
    },
  });
  const test = useMutation({
    mutationFn: () => testWebhook(endpoint.webhook_id),
    onSuccess: () => {
      setLogOpen(true);
      void client.invalidateQueries({ queryKey: queryKeys.webhooks.deliveries(endpoint.webhook_id) });
    },
  });
  const error = [update, remove, rotate, test].find((mutation) => mutation.isError)?.error;
  const initial: WebhookFormValues = {
    url: endpoint.url,
    description: endpoint.description,
    event_types: endpoint.event_types,
    alert_kinds: endpoint.alert_kinds,
  };
  return (
    <li className="rounded-lg border border-zinc-200 bg-surface p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="truncate font-mono text-sm" title={endpoint.url}>
            {endpoint.url}
          </p>
          {endpoint.description ? <p className="text-sm text-zinc-700">{endpoint.description}</p> : null}
          <p className="mt-1 text-xs text-zinc-600">
            Events: {summary(endpoint.event_types, "all")} · Alerts: {summary(endpoint.alert_kinds, "all")}
          </p>
          <p className="text-xs text-zinc-600">
            Last success: {endpoint.last_success_at ? <RelativeTime iso={endpoint.last_success_at} /> : "never"}
            {endpoint.consecutive_failures > 0 ? ` · ${endpoint.consecutive_failures} failed attempts in a row` : ""}
          </p>
        </div>
        <Badge tone={endpoint.enabled ? "success" : "danger"}>{endpoint.enabled ? "Enabled" : "Disabled"}</Badge>
      </div>
      {!endpoint.enabled && endpoint.disabled_reason ? (
        <p role="status" className="mt-2 rounded bg-red-50 p-2 text-xs text-red-900">
          {endpoint.disabled_reason}
        </p>
      ) : null}
      <div className="mt-3 flex flex-wrap gap-2">
        <Button size="sm" onClick={() => test.mutate()} disabled={!endpoint.enabled || test.isPending}>
          Send test
        </Button>
        <Button size="sm" onClick={() => update.mutate({ enabled: !endpoint.enabled })} disabled={update.isPending}>
          {endpoint.enabled ? "Disable" : "Enable"}
        </Button>
        <Button size="sm" onClick={() => setDialog("edit")}>
          Edit
        </Button>
        <Button size="sm" onClick={() => setDialog("rotate")}>
          Rotate secret
        </Button>
        <Button size="sm" variant="danger" onClick={() => setDialog("delete")}>
          Delete
        </Button>
        <Button size="sm" variant="ghost" aria-expanded={isLogOpen} onClick={() => setLogOpen(!isLogOpen)}>
          {isLogOpen ? "Hide delivery log" : "Delivery log"}
        </Button>
      </div>
      {error ? (
        <p role="alert" className="mt-2 text-xs text-red-700">
          <FailureText error={error} />
        </p>
      ) : null}
      {isLogOpen ? <DeliveryLog webhookId={endpoint.webhook_id} url={endpoint.url} /> : null}
      <Dialog isOpen={dialog === "edit"} onClose={() => setDialog(null)} title="Edit endpoint">
        {dialog === "edit" ? (
          <WebhookForm
            initial={initial}
            submitLabel="Save endpoint"
            isBusy={update.isPending}
            suggestedUrl={props.suggestedUrl}
            onSubmit={(values) => update.mutate(values as UpdateWebhookRequest)}
            onCancel={() => setDialog(null)}
          />
        ) : null}
        {update.isError ? (
          <p role="alert" className="mt-2 text-xs text-red-700">
            <FailureText error={update.error} />
          </p>
        ) : null}
      </Dialog>
      <ConfirmDialog
        isOpen={dialog === "delete"}
        title="Delete this endpoint?"
        confirmLabel="Delete endpoint"
        isBusy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onClose={() => setDialog(null)}
      >
        <p>
          Deliveries to <code>{endpoint.url}</code> stop and its delivery log is removed. This cannot be undone.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        isOpen={dialog === "rotate"}
        title="Rotate the signing secret?"
        confirmLabel="Rotate secret"
        isBusy={rotate.isPending}
        onConfirm={() => rotate.mutate()}
        onClose={() => setDialog(null)}
      >
        <p>The current secret stops signing at once; the receiver needs the new one, shown once.</p>
      </ConfirmDialog>
    </li>
  );
}
