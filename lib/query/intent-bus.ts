import type { StreamedIntentEvent } from "@/lib/defix/events";
import type { LockManagerLike, Relay } from "./intent-bus-relay";
import { ACCESS_CHANGED_EVENT, connectSse } from "./sse";
import type { SseMessage } from "./sse-parser";

export type LiveStatus = "connecting" | "live" | "stale";

/** Why a subscriber cannot trust what it holds: the OMS could not replay (`reset`), or dropped vaults. */
export type StreamGap = "reset" | "access_changed";

export interface BusConnect {
  /** The connection resumed after the tab's last position: every missed event was replayed, in order. */
  resumed: boolean;
  /** The stream had been down (failures) since this subscriber last heard it live. */
  afterOutage: boolean;
}

/** One consumer of the tab's intent events; every callback is optional. */
export interface IntentBusSubscriber {
  onEvent?: (event: StreamedIntentEvent) => void;
  onGap?: (gap: StreamGap) => void;
  /** Each (re)connect; also once on joining a connection that is already live (`resumed: false`). */
  onConnect?: (connect: BusConnect) => void;
  /** Run every `everyMs` while the stream is down, and only then. */
  fallback?: { everyMs: number; run: () => void };
}

interface Entry {
  subscriber: IntentBusSubscriber;
  poll: ReturnType<typeof setInterval> | null;
  hadOutage: boolean;
}

type Sharing = { locks: LockManagerLike; channel: (name: string) => BroadcastChannel };

/**
 * One `/api/oms/stream` connection (every vault of the user), shared by everything that follows intents live:
 * the approvals queue, the canvas, the history, an intent's detail. Each open stream counts against the user's
 * caps (BFF and OMS) and holds one of the browser's six connections to the host, so a page never opens its own.
 * Once `shareAs` named the session, the tabs of the browser share one connection (`intent-bus-relay.ts`); without
 * it, or without Web Locks / BroadcastChannel, each tab holds its own. The first subscriber opens it, the last one
 * closes it after `lingerMs` (React strict mode's unmount/remount and page changes reuse the connection).
 * Reconnects resume after the last position heard, so a subscriber sees missed events replayed in order;
 * a subscriber that joins later starts at the live edge and is told so (`onConnect`, `resumed: false`).
 */
export class IntentEventBus {
  private readonly entries = new Set<Entry>();
  private readonly statusListeners = new Set<() => void>();
  private status: LiveStatus = "connecting";
  private close: (() => void) | null = null;
  private closeTimer: ReturnType<typeof setTimeout> | null = null;
  private lastId: string | null = null;
  private resumingFrom: string | null = null;
  private shareName: string | null = null;

  constructor(private readonly options: { lingerMs: number; url?: string; sharing?: () => Sharing | null }) {}

  /**
   * Shares the connection with this browser's other tabs of the same session from the next open on. `session`
   * is not secret (the signed-in address): it keeps tabs of different users on different channels.
   */
  shareAs(session: string): void {
    this.shareName = `defix-intent-stream:${session.toLowerCase()}`;
  }

  subscribe(subscriber: IntentBusSubscriber): () => void {
    const entry: Entry = { subscriber, poll: null, hadOutage: false };
    this.entries.add(entry);
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.closeTimer = null;
    if (this.close === null) this.open();
    else if (this.status === "live") this.notify(() => subscriber.onConnect?.({ resumed: false, afterOutage: false }));
    else if (this.status === "stale") this.startPoll(entry);
    return () => {
      if (!this.entries.delete(entry)) return;
      this.stopPoll(entry);
      if (this.entries.size === 0) this.scheduleClose();
    };
  }

  getStatus = (): LiveStatus => this.status;

  /** Status changes (for `useSyncExternalStore`); does not hold the connection open. */
  watchStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  };

  private open(): void {
    if (this.shareName === null) {
      this.close = this.connect(null);
      return;
    }
    const name = this.shareName;
    // The relay loads after the page (every page that follows intents would otherwise carry it); until it has
    // loaded nothing is connected yet, and closing meanwhile means it never connects.
    let isClosed = false;
    let closeShared: (() => void) | null = null;
    this.close = () => {
      isClosed = true;
      closeShared?.();
    };
    import("./intent-bus-relay")
      .then(({ shareAcrossTabs, browserSharing }) => {
        if (isClosed) return;
        const sharing = (this.options.sharing ?? browserSharing)();
        if (sharing === null) {
          closeShared = this.connect(null);
          return;
        }
        closeShared = shareAcrossTabs(
          name,
          {
            liveState: () => this.status,
            dispatch: (message) => this.dispatch(message),
            connected: (resumed) => this.connected(resumed),
            stale: () => this.setStatus("stale"),
            lead: (relay, canResume) => {
              if (!canResume) this.lastId = null;
              return this.connect(relay);
            },
          },
          sharing,
        );
      })
      .catch((error: unknown) => {
        // Without the relay this tab still follows intents, on a connection of its own.
        console.warn("intent stream relay failed", error);
        if (!isClosed) closeShared = this.connect(null);
      });
  }

  /** This tab's own connection; a leading tab relays what it hears to the others. */
  private connect(relay: Relay | null): () => void {
    return connectSse({
      url: () => this.options.url ?? "/api/oms/stream",
      lastEventId: () => {
        this.resumingFrom = this.lastId;
        return this.lastId;
      },
      onMessage: (message) => {
        relay?.frame(message);
        this.dispatch(message);
      },
      onStatus: (next, failures) => {
        if (next === "live") {
          const resumed = this.resumingFrom !== null;
          relay?.status("live", resumed);
          return this.connected(resumed);
        }
        if (failures === 0) return;
        relay?.status("stale", false);
        this.setStatus("stale");
      },
    });
  }

  private connected(resumed: boolean): void {
    this.setStatus("live");
    for (const entry of this.entries) {
      this.stopPoll(entry);
      const afterOutage = entry.hadOutage;
      entry.hadOutage = false;
      this.notify(() => entry.subscriber.onConnect?.({ resumed, afterOutage }));
    }
  }

  private dispatch(message: SseMessage): void {
    if (message.id !== null) this.lastId = message.id;
    if (message.event === "reset" || message.event === ACCESS_CHANGED_EVENT) {
      const gap: StreamGap = message.event === "reset" ? "reset" : "access_changed";
      for (const entry of this.entries) this.notify(() => entry.subscriber.onGap?.(gap));
      return;
    }
    if (message.event !== "intent_event") return;
    const event = parseFrame(message.data);
    if (!event) return;
    for (const entry of this.entries) this.notify(() => entry.subscriber.onEvent?.(event));
  }

  private scheduleClose(): void {
    this.closeTimer = setTimeout(() => {
      this.closeTimer = null;
      if (this.entries.size > 0) return;
      this.close?.();
      this.close = null;
      // A later connection starts afresh at the head: nobody is left to want the replay.
      this.lastId = null;
      this.resumingFrom = null;
      this.setStatus("connecting");
    }, this.options.lingerMs);
  }

  private setStatus(next: LiveStatus): void {
    if (next === "stale") for (const entry of this.entries) this.startPoll(entry);
    if (next === this.status) return;
    this.status = next;
    for (const listener of this.statusListeners) listener();
  }

  private startPoll(entry: Entry): void {
    entry.hadOutage = true;
    const fallback = entry.subscriber.fallback;
    if (!fallback || entry.poll !== null) return;
    entry.poll = setInterval(() => this.notify(fallback.run), fallback.everyMs);
  }

  private stopPoll(entry: Entry): void {
    if (entry.poll !== null) clearInterval(entry.poll);
    entry.poll = null;
  }

  /** One subscriber's failure must not starve the others of the event. */
  private notify(call: () => void): void {
    try {
      call();
    } catch (error) {
      console.error("intent event subscriber failed", error);
    }
  }
}

/**
 * An `intent_event` frame's data. The BFF checked it against the contract's `StreamedIntentEvent` before sending
 * (lib/bff/sse-check.ts), so only the JSON is read here: zod stays out of the pages.
 */
function parseFrame(data: string): StreamedIntentEvent | null {
  try {
    const json: unknown = JSON.parse(data);
    return typeof json === "object" &&
      json !== null &&
      "message_type" in json &&
      "intent_id" in json &&
      "vault_id" in json
      ? (json as StreamedIntentEvent)
      : null;
  } catch (error) {
    console.warn("unparseable stream event", error);
    return null;
  }
}

/** The tab's one bus. A second of linger covers strict mode and a page change without reconnecting. */
export const intentBus = new IntentEventBus({ lingerMs: 1_000 });
