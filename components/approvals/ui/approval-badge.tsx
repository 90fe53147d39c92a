import type { ApprovalStatus } from "@/lib/defix/authorization";

const STYLE: Record<ApprovalStatus, { label: string; className: string; glyph: string }> = {
  not_required: { label: "No approval needed", className: "border-zinc-300 text-zinc-700", glyph: "–" },
  pending: { label: "Awaiting approval", className: "border-amber-400 bg-amber-50 text-amber-900", glyph: "⏳" },
  approved: { label: "Approved", className: "border-emerald-500 bg-emerald-50 text-emerald-900", glyph: "✓" },
  rejected: { label: "Rejected", className: "border-red-400 bg-red-50 text-red-900", glyph: "✕" },
  expired: { label: "Approval timed out", className: "border-zinc-400 bg-zinc-100 text-zinc-800", glyph: "⌛" },
};

export const approvalLabel = (status: ApprovalStatus): string => STYLE[status].label;

/** Where an intent's quorum stands; the glyph and the words carry it, not the colour alone. */
export function ApprovalBadge({ status }: { status: ApprovalStatus }) {
  const style = STYLE[status];
  return (
    <span
      data-approval-status={status}
      className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-[11px] font-semibold ${style.className}`}
    >
      <span aria-hidden="true">{style.glyph}</span>
      {style.label}
    </span>
  );
}
