"use client";

import { type FormEvent, useEffect, useState } from "react";
import { isAddress, parseAbi } from "viem";
import { useReadContract } from "wagmi";
import type { VaultWalletTarget } from "@/components/session-keys/wallet-check";
import { Button } from "@/components/ui/button";
import { ShortHex } from "@/components/ui/short-hex";
import { LimitFlowStatus } from "./limit-review";
import { useLimitTransaction } from "./use-limit-transaction";

const registryAbi = parseAbi(["function guardians(address vault) view returns (address[])"]);

/**
 * The primary manager names (or removes) guardians: addresses that may pause the vault's automation on-chain but
 * never unpause it. Prepared calldata, the decoded preview, then the wallet, like budgets; the list is read live
 * from the registry (it forgets guardians named by a manager who is no longer primary).
 */
export function GuardianPanel({ vaultId, target }: { vaultId: string; target: VaultWalletTarget }) {
  const flow = useLimitTransaction(vaultId, target);
  const [candidate, setCandidate] = useState("");
  const [inputError, setInputError] = useState<string | null>(null);
  const guardians = useReadContract({
    address: target.registry,
    abi: registryAbi,
    functionName: "guardians",
    args: [target.vault],
    chainId: target.chainId,
  });
  const { refetch } = guardians;
  const isDone = flow.phase.step === "done";
  useEffect(() => {
    if (isDone) void refetch();
  }, [isDone, refetch]);

  function add(event: FormEvent) {
    event.preventDefault();
    const value = candidate.trim();
    if (!isAddress(value)) return setInputError("Enter a 0x address of 40 hex digits");
    setInputError(null);
    void flow.run({ kind: "guardian", guardian: value.toLowerCase() as `0x${string}`, enabled: true });
  }

  const isBusy = ["preparing", "signing", "confirming"].includes(flow.phase.step);
  const list = guardians.data ?? [];
  return (
    <section aria-label="Guardians" className="flex flex-col gap-2 rounded-lg border border-zinc-200 bg-surface p-3">
      <h2 className="text-sm font-semibold text-zinc-900">Guardians</h2>
      <p className="text-xs text-zinc-600">A guardian can pause this vault's automation on-chain; only you unpause.</p>
      {guardians.isPending ? (
        <p role="status" className="text-sm text-zinc-600">
          Reading guardians…
        </p>
      ) : guardians.isError ? (
        <p role="alert" className="text-sm text-rose-800">
          The guardians could not be read from the registry.{" "}
          <Button size="sm" onClick={() => void refetch()}>
            Retry
          </Button>
        </p>
      ) : list.length === 0 ? (
        <p className="text-sm text-zinc-600">No guardians: only you can pause.</p>
      ) : (
        <ul aria-label="Current guardians" className="flex flex-col gap-1 text-sm">
          {list.map((guardian) => (
            <li key={guardian} className="flex items-center gap-2">
              <ShortHex value={guardian} />
              <Button
                size="sm"
                disabled={isBusy}
                aria-label={`Remove guardian ${guardian}`}
                onClick={() =>
                  void flow.run({ kind: "guardian", guardian: guardian.toLowerCase() as `0x${string}`, enabled: false })
                }
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form className="flex flex-wrap items-end gap-2 text-sm" onSubmit={add}>
        <label className="flex flex-col gap-1">
          Guardian address
          <input
            value={candidate}
            onChange={(event) => setCandidate(event.target.value)}
            placeholder="0x…"
            className="w-96 max-w-full rounded border px-2 py-1 font-mono"
          />
        </label>
        <Button size="sm" type="submit" disabled={isBusy}>
          Review guardian
        </Button>
      </form>
      {inputError ? (
        <p role="alert" className="text-sm text-rose-800">
          {inputError}
        </p>
      ) : null}
      <LimitFlowStatus phase={flow.phase} onConfirm={() => void flow.confirm()} onCancel={flow.reset} />
    </section>
  );
}
