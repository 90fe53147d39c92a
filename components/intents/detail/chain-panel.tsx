"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { LoadError } from "@/components/ui/load-error";
import { ShortHex } from "@/components/ui/short-hex";
import { SkeletonRows } from "@/components/ui/skeleton-rows";
import { useSettledValue } from "@/components/ui/use-settled-value";
import type { IntentProof } from "@/lib/defix/audit-proof";
import { saveFile } from "@/lib/query/audit-export";
import { intentProofOptions } from "@/lib/query/intent-detail";

const VERIFY_COMMAND = "npm run audit -- verify-proof proof.json";
/** A live intent's events come in bursts: its proof is fetched again once the head has held this long. */
export const PROOF_SETTLE_MS = 600;

function CheckpointLine({ proof }: { proof: IntentProof["proof"] }) {
  const { checkpoint, inclusion } = proof;
  if (checkpoint === null || inclusion === null) {
    return <>Not in a vault checkpoint yet: the next periodic checkpoint will hold it.</>;
  }
  return (
    <>
      Checkpoint {checkpoint.seq} of the vault (log position {checkpoint.position.toLocaleString("en")},{" "}
      {checkpoint.intents.toLocaleString("en")} intents) holds seq {inclusion.seq_num}; root{" "}
      <ShortHex value={checkpoint.heads_root} />
    </>
  );
}

/**
 * The intent's place in the tamper-evident record (docs/ARCHITECTURE.md, "Audit chain"): its event hashes, its head,
 * the vault checkpoint that holds it, and the signed proof to copy or download for an auditor.
 */
export function ChainPanel({ intentId, headSeq }: { intentId: string; headSeq: number }) {
  const settledSeq = useSettledValue(headSeq, PROOF_SETTLE_MS);
  // The proof of the previous head stays on screen, marked as updating, while the newer one loads.
  const query = useQuery({ ...intentProofOptions(intentId, settledSeq), placeholderData: keepPreviousData });
  const isUpdating = settledSeq !== headSeq || query.isPlaceholderData;
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const text = query.data ? JSON.stringify(query.data, null, 2) : "";
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setCopied("copied"),
      () => setCopied("failed"),
    );
  };
  const download = () =>
    saveFile({
      blob: new Blob([text], { type: "application/json" }),
      filename: `proof-${intentId}.json`,
      bytes: text.length,
      records: 1,
    });

  return (
    <section aria-labelledby="chain-title" className="space-y-2" data-testid="chain-panel">
      <h2 id="chain-title" className="flex items-center gap-2 font-semibold">
        Audit chain
        {isUpdating && !query.isPending ? (
          <span className="text-xs font-normal text-zinc-600" data-testid="chain-updating">
            updating to the newest event…
          </span>
        ) : null}
      </h2>
      {query.isPending ? (
        <SkeletonRows rows={2} label="Loading the audit chain" />
      ) : query.isError ? (
        <LoadError what="the audit chain" error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-zinc-600">Head</dt>
            <dd data-testid="chain-head" className="flex items-center gap-1">
              seq {query.data.proof.head.seq_num} · <ShortHex value={query.data.proof.head.hash} />
              <CopyButton value={query.data.proof.head.hash} label="Copy head hash" />
            </dd>
            <dt className="text-zinc-600">Log positions</dt>
            <dd>
              {query.data.proof.events[0]?.position.toLocaleString("en")} to{" "}
              {query.data.proof.head.position.toLocaleString("en")}
            </dd>
            <dt className="text-zinc-600">Vault checkpoint</dt>
            <dd data-testid="chain-checkpoint">
              <CheckpointLine proof={query.data.proof} />
            </dd>
          </dl>
          <details className="text-sm">
            <summary className="cursor-pointer">Event hashes ({query.data.proof.events.length})</summary>
            <ol className="mt-1 space-y-0.5 font-mono text-xs">
              {query.data.proof.events.map((event) => (
                <li key={event.event_id}>
                  {event.seq_num}. {event.message_type} <ShortHex value={event.hash} />
                </li>
              ))}
            </ol>
          </details>
          <div className="flex flex-wrap items-center gap-2">
            <Button size="sm" onClick={copy}>
              Copy proof
            </Button>
            <Button size="sm" onClick={download}>
              Download proof
            </Button>
            <span role="status" className="text-xs text-zinc-600">
              {copied === "copied" ? "Proof copied" : copied === "failed" ? "Copy failed: use Download" : ""}
            </span>
          </div>
          <p className="text-xs text-zinc-600">
            An auditor saves it as proof.json and checks it offline: <code>{VERIFY_COMMAND}</code>
          </p>
        </>
      )}
    </section>
  );
}
