"use client";

import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";

/** The signing secret, shown this once after create or rotate: the OMS never returns it again. */
export function SecretDialog({ secret, url, onClose }: { secret: string | null; url: string; onClose: () => void }) {
  return (
    <Dialog
      isOpen={secret !== null}
      onClose={onClose}
      title="Signing secret"
      description="Copy it now: it is shown only once. Your receiver verifies each delivery's webhook-signature with it (any Standard Webhooks library does)."
      footer={
        <Button variant="primary" onClick={onClose}>
          I have stored it
        </Button>
      }
    >
      <p className="text-xs text-zinc-600">
        For <code>{url}</code>
      </p>
      <div className="mt-2 flex items-center gap-2 rounded-md border border-zinc-300 bg-zinc-50 p-2">
        <code data-testid="webhook-secret" className="break-all font-mono text-xs">
          {secret}
        </code>
        {secret ? <CopyButton value={secret} label="Copy secret" /> : null}
      </div>
    </Dialog>
  );
}
