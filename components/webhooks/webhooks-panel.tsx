"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { LoadError } from "@/components/ui/load-error";
import { SkeletonRows } from "@/components/ui/skeleton-rows";
import type { CreateWebhookRequest } from "@/lib/defix/webhooks";
import { queryKeys } from "@/lib/query/keys";
import { createWebhook, webhooksOptions } from "@/lib/query/webhooks";
import { EndpointCard } from "./endpoint-card";
import { FailureText } from "./failure-text";
import { SecretDialog } from "./secret-dialog";
import { WebhookForm } from "./webhook-form";

const EMPTY = { url: "", description: "", event_types: ["*"], alert_kinds: ["*"] };

/** A vault's webhook settings: endpoints, adding one (secret shown once), and each one's delivery log. */
export function WebhooksPanel({ vaultId }: { vaultId: string }) {
  const client = useQueryClient();
  const list = useQuery(webhooksOptions(vaultId));
  const [isAdding, setAdding] = useState(false);
  const [shown, setShown] = useState<{ secret: string; url: string } | null>(null);
  const create = useMutation({
    mutationFn: (body: CreateWebhookRequest) => createWebhook(vaultId, body),
    onSuccess: (created) => {
      setAdding(false);
      setShown({ secret: created.secret, url: created.url });
    },
    // Not awaited: the secret shows as soon as the OMS answered, whatever the list refresh does.
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.vaults.webhooks(vaultId) }),
  });
  const data = list.data;
  const isFull = data ? data.webhooks.length >= data.max_per_vault : true;
  return (
    <Card>
      <CardHeader
        title={data ? `Endpoints (${data.webhooks.length} of ${data.max_per_vault})` : "Endpoints"}
        actions={
          <Button variant="primary" onClick={() => setAdding(true)} disabled={isAdding || isFull}>
            Add endpoint
          </Button>
        }
      />
      <CardBody>
        <p className="mb-3 text-sm text-zinc-700">
          The OMS POSTs each subscribed intent event and alert to your endpoint, signed the{" "}
          <a className="underline" href="https://www.standardwebhooks.com/" rel="noreferrer" target="_blank">
            Standard Webhooks
          </a>{" "}
          way. Failed deliveries are retried with backoff for about a day; an endpoint that keeps failing is disabled.
        </p>
        {isAdding && data ? (
          <div className="mb-4 rounded-lg border border-blue-200 p-4">
            <h3 className="mb-2 text-sm font-semibold">New endpoint</h3>
            <WebhookForm
              initial={{ ...EMPTY, url: data.suggested_url ?? "" }}
              submitLabel="Create endpoint"
              isBusy={create.isPending}
              suggestedUrl={data.suggested_url}
              onSubmit={(values) => create.mutate(values as CreateWebhookRequest)}
              onCancel={() => setAdding(false)}
            />
            {create.isError ? (
              <p role="alert" className="mt-2 text-xs text-red-700">
                <FailureText error={create.error} />
              </p>
            ) : null}
          </div>
        ) : null}
        {list.isPending ? <SkeletonRows rows={2} /> : null}
        {list.isError && !data ? <LoadError error={list.error} onRetry={() => list.refetch()} what="webhooks" /> : null}
        {list.isError && data ? (
          <p role="status" className="mb-2 text-xs text-amber-800">
            Could not refresh; showing the endpoints as last loaded.
          </p>
        ) : null}
        {data && data.webhooks.length === 0 && !isAdding ? (
          <p className="text-sm text-zinc-600">No endpoints yet. Add one to receive this vault's events and alerts.</p>
        ) : null}
        {data ? (
          <ul className="flex flex-col gap-3">
            {data.webhooks.map((endpoint) => (
              <EndpointCard
                key={endpoint.webhook_id}
                endpoint={endpoint}
                suggestedUrl={data.suggested_url}
                onSecret={(secret, url) => setShown({ secret, url })}
              />
            ))}
          </ul>
        ) : null}
      </CardBody>
      <SecretDialog secret={shown?.secret ?? null} url={shown?.url ?? ""} onClose={() => setShown(null)} />
    </Card>
  );
}
