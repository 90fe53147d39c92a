"use client";

import type { VaultWalletTarget } from "@/components/session-keys/wallet-check";
import { Button } from "@/components/ui/button";
import { LimitFlowStatus } from "./limit-review";
import { useLimitTransaction } from "./use-limit-transaction";

/** The paused gate's action for the primary manager: sign the registry's unpause after the decoded preview. */
export function UnpausePanel({ vaultId, target }: { vaultId: string; target: VaultWalletTarget }) {
  const flow = useLimitTransaction(vaultId, target);
  const isBusy = ["preparing", "signing", "confirming", "reviewing"].includes(flow.phase.step);
  return (
    <div className="flex flex-col gap-3">
      <Button onClick={() => void flow.run({ kind: "unpause" })} disabled={isBusy}>
        Unpause on-chain
      </Button>
      <LimitFlowStatus phase={flow.phase} onConfirm={() => void flow.confirm()} onCancel={flow.reset} />
    </div>
  );
}
