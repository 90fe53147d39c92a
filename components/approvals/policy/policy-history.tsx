import { RelativeTime } from "@/components/ui/relative-time";
import { ShortHex } from "@/components/ui/short-hex";
import type { ApprovalPolicyVersion } from "@/lib/defix/approvals";
import { describeRule } from "./policy-form";

/** Every version, newest first: who signed it, when, and what it said (or that it removed the policy). */
export function PolicyHistory({ history }: { history: readonly ApprovalPolicyVersion[] }) {
  return (
    <section aria-labelledby="policy-history-title" className="space-y-2">
      <h2 id="policy-history-title" className="font-semibold">
        Version history
      </h2>
      {history.length === 0 ? <p className="text-sm text-zinc-600">No version yet.</p> : null}
      <ol className="space-y-1 text-sm">
        {history.map((entry) => (
          <li key={entry.version} data-testid="policy-version-row" data-version={entry.version}>
            <span className="font-semibold">v{entry.version}</span> · <RelativeTime iso={entry.created_at} /> · signed
            by <ShortHex value={entry.signed_by} /> ·{" "}
            {entry.policy
              ? `“${entry.policy.display_name}”: ${entry.policy.rules.map(describeRule).join("; ")}; ${entry.policy.threshold} of ${entry.policy.members.managers ? "managers" : ""}${entry.policy.members.managers && entry.policy.members.addresses.length > 0 ? " + " : ""}${entry.policy.members.addresses.length > 0 ? `${entry.policy.members.addresses.length} address(es)` : ""}, tolerance ${entry.policy.tolerance_bps} bps`
              : "removed the policy"}
          </li>
        ))}
      </ol>
    </section>
  );
}
