import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { canvasHref } from "@/lib/format/routes";
import type { WaitingReason } from "../model/waiting";

/** "Why is it still waiting?" answered in one line, with the fix linked when the user holds it. */
export function WaitingLine({ waiting, vaultId }: { waiting: WaitingReason; vaultId: string }) {
  return (
    <p
      className="flex flex-wrap items-center gap-2 rounded-md border border-blue-200 bg-blue-50 px-3 py-2 text-sm text-blue-950"
      data-testid="waiting-line"
    >
      <span aria-hidden="true" className="h-2 w-2 motion-safe:animate-pulse rounded-full bg-blue-600" />
      <span>{waiting.text}</span>
      <span className="text-xs text-blue-800">
        (since <RelativeTime iso={waiting.since} />)
      </span>
      {waiting.cta === "canvas" ? (
        <Link
          href={canvasHref(vaultId)}
          className="text-blue-700 underline focus-visible:outline-2 focus-visible:outline-blue-600"
        >
          Grant a session key on the canvas
        </Link>
      ) : null}
    </p>
  );
}
