"use client";

import Link from "next/link";
import { ApprovalBadge } from "@/components/approvals/ui/approval-badge";
import { MembersList } from "@/components/approvals/ui/members-list";
import type { Intent } from "@/lib/defix/intents";
import { signedCount } from "@/lib/defix/states";

/** The intent's quorum (issue 15): policy version, rule that caught it, members and signatures, threshold. */
export function AuthorizationPanel({ intent, me }: { intent: Intent; me: string | null }) {
  const authorization = intent.authorization;
  if (authorization === null) return null;
  const signed = signedCount(authorization);
  const isMet = signed >= authorization.threshold;
  return (
    <section
      aria-labelledby="authorization-title"
      className="space-y-2 rounded-lg border border-zinc-200 bg-surface p-4"
      data-testid="authorization-block"
    >
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="authorization-title" className="font-semibold">
          Authorization
        </h2>
        <ApprovalBadge status={intent.approval_status} />
        {intent.approval_status === "pending" ? (
          <Link href="/approvals" className="text-sm text-blue-700 underline">
            Open in Approvals
          </Link>
        ) : null}
      </div>
      <p className="text-sm">
        <span className="font-medium">{authorization.display_name}</span>, policy version{" "}
        <span data-testid="policy-version">{authorization.policy_version}</span>
        {authorization.caught_by.length > 0 ? <> · caught by {authorization.caught_by.join("; ")}</> : null}
      </p>
      <p className="text-sm" data-testid="threshold" data-met={isMet}>
        {signed} of {authorization.threshold} required signatures
        {isMet ? " — threshold met" : ` — ${authorization.threshold - signed} more needed`}
      </p>
      <MembersList authorization={authorization} me={me} />
    </section>
  );
}
