"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useErrorHint } from "@/components/ui/use-error-hint";
import type { Intent } from "@/lib/defix/intents";
import type { ErrorHint } from "@/lib/defix/store-hint";
import { isApiError } from "@/lib/query/fetcher";
import { cancelIntent } from "@/lib/query/intent-detail";
import { queryKeys } from "@/lib/query/keys";
import { ConfirmDialog } from "../ui/confirm-dialog";

function failureText(error: unknown, hint: ErrorHint | null): string {
  if (!isApiError(error)) return "The cancel request did not go through. Try again.";
  if (error.status === 409) return `Could not cancel: ${hint?.hint ?? error.message}`;
  if (error.isUpstreamDown)
    return "Could not cancel: the OMS is unreachable. Nothing changed; try again when it is back.";
  return `Could not cancel (${error.code}): ${error.message}`;
}

/** Cancel for managers: a confirmation, the OMS's answer applied at once, a plain message on 409. */
export function CancelControl({ intent }: { intent: Intent }) {
  const client = useQueryClient();
  const [isOpen, setIsOpen] = useState(false);
  const mutation = useMutation({
    mutationFn: () => cancelIntent(intent.id),
    onSuccess: (updated) => {
      client.setQueryData(queryKeys.intents.detail(intent.id), updated);
      setIsOpen(false);
    },
    onError: () => setIsOpen(false),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.intents.detail(intent.id) }),
  });
  const hint = useErrorHint(isApiError(mutation.error) ? mutation.error.code : null);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="danger" onClick={() => setIsOpen(true)} disabled={mutation.isPending}>
        {mutation.isPending ? "Canceling…" : "Cancel intent"}
      </Button>
      {mutation.isError ? (
        <p role="alert" className="max-w-sm text-right text-xs text-red-700">
          {failureText(mutation.error, hint)}
        </p>
      ) : null}
      <ConfirmDialog
        isOpen={isOpen}
        title="Cancel this intent?"
        confirmLabel="Cancel intent"
        isBusy={mutation.isPending}
        onConfirm={() => mutation.mutate()}
        onClose={() => setIsOpen(false)}
      >
        <p>
          The OMS stops this {intent.action.toLowerCase()} before anything is sent on chain. If a transaction is already
          out, it cannot be canceled and you will see what the chain did.
        </p>
        <p className="mt-2 text-xs text-zinc-600">
          The strategy may publish a new intent on its next tick if it is still running.
        </p>
      </ConfirmDialog>
    </div>
  );
}
