import type { QueryClient } from "@tanstack/react-query";
import type { Intent } from "@/lib/defix/intents";
import { queryKeys } from "@/lib/query/keys";
import { ACCESS_CHANGED_EVENT, connectSse } from "@/lib/query/sse";
import { parseStreamEvent } from "../../intents/history/live-sync";
import { affectsApprovalsQueue } from "../model/live-events";

export type ApprovalsLiveStatus = "connecting" | "live" | "stale";

/** A burst of events (a signature and the ACK it triggers) refetches the queue once. */
const REFRESH_DEBOUNCE_MS = 150;
/** Only while the stream is down: a slow look at the queue, with the page saying it is not live. */
export const APPROVALS_FALLBACK_POLL_MS = 15_000;

/**
 * One event stream per browser tab for the approvals queue, shared by everything that shows it (the nav
 * badge, the Approvals page, the canvas counts): the first subscriber opens `/api/oms/stream`, the last one
 * closes it. An event that can change the queue refetches the queue's one cache entry; a (re)connect does too,
 * since events that happened while it was not connected are not replayed to a fresh stream. The OMS re-checks
 * the caller's roles on the stream; a vault it drops (`access_changed`) refetches the queue without that vault.
 */
class ApprovalsStream {
  private subscribers = 0;
  private close: (() => void) | null = null;
  private status: ApprovalsLiveStatus = "connecting";
  private readonly listeners = new Set<() => void>();
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private fallbackPoll: ReturnType<typeof setInterval> | null = null;

  subscribe(client: QueryClient, onStatus: () => void): () => void {
    this.listeners.add(onStatus);
    this.subscribers += 1;
    if (this.subscribers === 1) this.open(client);
    return () => {
      this.listeners.delete(onStatus);
      this.subscribers -= 1;
      if (this.subscribers === 0) this.shutdown();
    };
  }

  getStatus = (): ApprovalsLiveStatus => this.status;

  private open(client: QueryClient): void {
    const refresh = () => {
      this.refreshTimer ??= setTimeout(() => {
        this.refreshTimer = null;
        client
          .invalidateQueries({ queryKey: queryKeys.approvalsQueue, exact: true })
          .catch((error: unknown) => console.warn("approvals queue refresh failed", error));
      }, REFRESH_DEBOUNCE_MS);
    };
    this.close = connectSse({
      url: () => "/api/oms/stream",
      // Every (re)connect refetches the queue, so a replay of what was missed would only be read and dropped.
      resume: false,
      onMessage: (message) => {
        if (message.event === ACCESS_CHANGED_EVENT || message.event === "reset") return refresh();
        const event = parseStreamEvent(message.data);
        if (!event) return;
        const queued = client.getQueryData<Intent[]>(queryKeys.approvalsQueue) ?? [];
        if (affectsApprovalsQueue(event, new Set(queued.map((intent) => intent.id)))) refresh();
      },
      onStatus: (next, failures) => {
        if (next === "live") {
          this.setFallbackPoll(null);
          refresh();
          this.setStatus("live");
        } else if (failures > 0) {
          this.setFallbackPoll(refresh);
          this.setStatus("stale");
        }
      },
    });
  }

  private shutdown(): void {
    this.close?.();
    this.close = null;
    this.setFallbackPoll(null);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    this.status = "connecting";
  }

  private setFallbackPoll(refresh: (() => void) | null): void {
    if (refresh === null) {
      if (this.fallbackPoll) clearInterval(this.fallbackPoll);
      this.fallbackPoll = null;
      return;
    }
    this.fallbackPoll ??= setInterval(refresh, APPROVALS_FALLBACK_POLL_MS);
  }

  private setStatus(next: ApprovalsLiveStatus): void {
    if (next === this.status) return;
    this.status = next;
    for (const listener of this.listeners) listener();
  }
}

export const approvalsStream = new ApprovalsStream();
