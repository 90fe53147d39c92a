"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useIsHydrated } from "@/components/ui/use-hydrated";
import { useNow } from "@/components/ui/use-now";
import { approvalsQueueOptions } from "@/lib/query/approvals-queue";
import { meOptions } from "@/lib/query/vaults";
import { useApprovalsLive } from "./live/use-approvals-live";
import { awaitingMeCount } from "./model/queue";

/** The navigation's Approvals link; the badge counts pending intents waiting for the user's own signature. */
export function ApprovalsNavLink({ className, isActive }: { className: string; isActive: boolean }) {
  // The nav is on every page, so the badge keeps the queue live wherever the user is.
  useApprovalsLive();
  const queue = useQuery(approvalsQueueOptions());
  const me = useQuery(meOptions());
  const now = useNow();
  const isHydrated = useIsHydrated();
  const count =
    isHydrated && queue.data && me.data ? awaitingMeCount(queue.data, me.data.address, now ?? Date.now()) : 0;
  return (
    <Link href="/approvals" className={className} aria-current={isActive ? "page" : undefined}>
      Approvals
      {count > 0 ? (
        <span
          data-testid="approvals-badge"
          className="rounded-full bg-amber-500 px-1.5 text-[11px] font-semibold text-white"
        >
          {count}
          <span className="sr-only"> waiting for your signature</span>
        </span>
      ) : null}
    </Link>
  );
}
