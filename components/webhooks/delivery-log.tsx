"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { LoadError } from "@/components/ui/load-error";
import { RelativeTime } from "@/components/ui/relative-time";
import type { WebhookDelivery } from "@/lib/defix/webhooks";
import { isApiError } from "@/lib/query/fetcher";
import { queryKeys } from "@/lib/query/keys";
import { deliveriesOptions, redeliver } from "@/lib/query/webhooks";

const TONE: Record<WebhookDelivery["status"], Tone> = { pending: "info", succeeded: "success", failed: "danger" };

function DeliveryRow({ webhookId, delivery }: { webhookId: string; delivery: WebhookDelivery }) {
  const client = useQueryClient();
  const [isOpen, setOpen] = useState(false);
  const again = useMutation({
    mutationFn: () => redeliver(webhookId, delivery.delivery_id),
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.webhooks.deliveries(webhookId) }),
  });
  const label = `${delivery.type} ${delivery.delivery_id}`;
  return (
    <Fragment>
      <tr className="border-t border-zinc-100">
        <td className="py-1.5">
          <RelativeTime iso={delivery.created_at} />
        </td>
        <td className="py-1.5 font-mono text-xs">{delivery.type}</td>
        <td className="py-1.5">
          <Badge tone={TONE[delivery.status]}>{delivery.status}</Badge>
          {delivery.status === "pending" && delivery.attempts > 0 && delivery.next_attempt_at ? (
            <span className="ml-1 text-xs text-zinc-600">
              retry <RelativeTime iso={delivery.next_attempt_at} />
            </span>
          ) : null}
        </td>
        <td className="py-1.5 tabular-nums">{delivery.attempts}</td>
        <td className="py-1.5 tabular-nums">{delivery.last_status_code ?? "–"}</td>
        <td className="py-1.5 tabular-nums">
          {delivery.last_latency_ms === null ? "–" : `${delivery.last_latency_ms} ms`}
        </td>
        <td className="py-1.5 text-right whitespace-nowrap">
          <Button size="sm" variant="ghost" aria-expanded={isOpen} onClick={() => setOpen(!isOpen)}>
            {isOpen ? "Hide" : "Attempts"}
          </Button>
          <Button
            size="sm"
            aria-label={`Redeliver ${label}`}
            disabled={delivery.status === "pending" || again.isPending}
            onClick={() => again.mutate()}
          >
            Redeliver
          </Button>
          {again.isError ? (
            <span role="alert" className="ml-1 text-xs text-red-700">
              {isApiError(again.error) ? again.error.message : "Redelivery failed"}
            </span>
          ) : null}
        </td>
      </tr>
      {isOpen ? (
        <tr>
          <td colSpan={7} className="bg-zinc-50 px-3 py-2">
            <p className="font-mono text-xs text-zinc-600">
              webhook-id {delivery.delivery_id} · {delivery.subject}
            </p>
            {delivery.attempt_log.length === 0 ? <p className="text-xs">No attempt yet.</p> : null}
            <ol className="mt-1 flex flex-col gap-1">
              {delivery.attempt_log.map((attempt) => (
                <li key={attempt.attempt} className="text-xs">
                  <span className="font-medium">#{attempt.attempt}</span> <RelativeTime iso={attempt.at} /> ·{" "}
                  {attempt.status_code ?? "no response"} · {attempt.latency_ms} ms
                  {attempt.error ? <span className="text-red-700"> · {attempt.error}</span> : null}
                  {attempt.response_excerpt ? (
                    <pre className="mt-0.5 max-h-24 overflow-auto rounded bg-surface p-1 font-mono whitespace-pre-wrap">
                      {attempt.response_excerpt}
                    </pre>
                  ) : null}
                </li>
              ))}
            </ol>
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}

/** The endpoint's delivery log: each delivery's status, attempts, last code and latency; redeliver. */
export function DeliveryLog({ webhookId, url }: { webhookId: string; url: string }) {
  const log = useQuery(deliveriesOptions(webhookId));
  return (
    <section aria-label={`Delivery log of ${url}`} className="mt-3">
      <h3 className="text-sm font-semibold">Delivery log</h3>
      {log.isPending ? <p role="status">Loading deliveries…</p> : null}
      {log.isError ? <LoadError error={log.error} onRetry={() => log.refetch()} what="the delivery log" /> : null}
      {log.data && log.data.deliveries.length === 0 ? (
        <p className="text-sm text-zinc-600">No deliveries yet. Send a test ping, or wait for the next event.</p>
      ) : null}
      {log.data && log.data.deliveries.length > 0 ? (
        <table aria-label="Deliveries" className="mt-1 w-full text-left text-sm">
          <thead className="text-xs text-zinc-600">
            <tr>
              {["Created", "Type", "Status", "Attempts", "Last code", "Latency"].map((name) => (
                <th key={name} scope="col" className="py-1 font-medium">
                  {name}
                </th>
              ))}
              <th scope="col" className="py-1 text-right font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {log.data.deliveries.map((delivery) => (
              <DeliveryRow key={delivery.delivery_id} webhookId={webhookId} delivery={delivery} />
            ))}
          </tbody>
        </table>
      ) : null}
      {log.isError && log.data ? <p className="text-xs text-amber-800">Showing the last log that loaded.</p> : null}
    </section>
  );
}
