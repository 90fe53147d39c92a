import type { QueryClient } from "@tanstack/react-query";
import type { Intent } from "@/lib/defix/intents";
import { type IntentEventBus, intentBus } from "@/lib/query/intent-bus";
import { invalidateAfterChange } from "@/lib/query/invalidate";
import { queryKeys } from "@/lib/query/keys";
import { affectsApprovalsQueue } from "../model/live-events";

/** A burst of events (a signature and the ACK it triggers) refetches the queue once. */
const REFRESH_DEBOUNCE_MS = 150;
/** Only while the stream is down: a slow look at the queue, with the page saying it is not live. */
export const APPROVALS_FALLBACK_POLL_MS = 15_000;

/**
 * Keeps the approvals queue live for everything that shows it (the nav badge, the Approvals page, the
 * canvas counts) as one subscriber of the tab's intent event bus, held while any of them is mounted: so
 * one refetch per change, however many show it. An event that can change the queue refetches the
 * queue's one cache entry; so does every (re)connect (a fresh connection replays nothing), a `reset`, and
 * an `access_changed` (the OMS re-checks the caller's roles; the refetched list has the roles of now).
 */
export class ApprovalsStream {
  private holders = 0;
  private release: (() => void) | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly bus: IntentEventBus) {}

  subscribe(client: QueryClient, onStatus: () => void): () => void {
    const stopWatching = this.bus.watchStatus(onStatus);
    this.holders += 1;
    if (this.holders === 1) this.hold(client);
    return () => {
      stopWatching();
      this.holders -= 1;
      if (this.holders > 0) return;
      this.release?.();
      this.release = null;
      if (this.refreshTimer) clearTimeout(this.refreshTimer);
      this.refreshTimer = null;
    };
  }

  private hold(client: QueryClient): void {
    const refresh = () => {
      this.refreshTimer ??= setTimeout(() => {
        this.refreshTimer = null;
        invalidateAfterChange(client, { queryKey: queryKeys.approvalsQueue, exact: true }).catch((error: unknown) =>
          console.warn("approvals queue refresh failed", error),
        );
      }, REFRESH_DEBOUNCE_MS);
    };
    this.release = this.bus.subscribe({
      onEvent: (event) => {
        const queued = client.getQueryData<Intent[]>(queryKeys.approvalsQueue) ?? [];
        if (affectsApprovalsQueue(event, new Set(queued.map((intent) => intent.id)))) refresh();
      },
      onGap: refresh,
      onConnect: ({ resumed }) => {
        // A resumed connection replays what was missed, and the events above refresh what they touch.
        if (!resumed) refresh();
      },
      fallback: { everyMs: APPROVALS_FALLBACK_POLL_MS, run: refresh },
    });
  }
}

export const approvalsStream = new ApprovalsStream(intentBus);
