"use client";

import { type ReactNode, useEffect, useId, useRef } from "react";
import { Button } from "./button";

interface SigningReviewProps {
  /** What the wallet will sign, as code: `SessionKeyExecutor.setBudget`, `EIP-7702 authorization`. */
  title: string;
  testId: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** Destructive calls (a revoke) confirm with the danger style. */
  isDestructive?: boolean;
  /** The decoded call, field by field. */
  children: ReactNode;
}

/**
 * The decoded request the wallet is about to be asked to sign, shown before it opens, so the manager confirms
 * the call and not a hex blob. Focus moves here when it opens; Escape cancels. One frame for every wallet flow
 * (key transactions, limits, the 7702 delegation).
 */
export function SigningReview({ title, testId, onConfirm, onCancel, isDestructive, children }: SigningReviewProps) {
  const labelId = useId();
  const region = useRef<HTMLElement>(null);
  useEffect(() => region.current?.focus(), []);
  return (
    <section
      ref={region}
      tabIndex={-1}
      aria-labelledby={labelId}
      data-testid={testId}
      onKeyDown={(event) => {
        if (event.key === "Escape") onCancel();
      }}
      className="rounded-md border border-indigo-200 bg-indigo-50/60 p-3 text-sm text-zinc-800 focus-visible:outline-2 focus-visible:outline-indigo-500"
    >
      <p id={labelId} className="font-medium text-zinc-900">
        You are about to sign: <code className="break-all">{title}</code>
      </p>
      {children}
      <div className="mt-3 flex flex-wrap gap-2">
        <Button variant={isDestructive ? "danger" : "primary"} size="sm" onClick={onConfirm}>
          Open wallet to sign
        </Button>
        <Button variant="ghost" size="sm" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </section>
  );
}

/** One labelled line of a review's `<dl>`. */
export function ReviewRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-zinc-600">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </>
  );
}
