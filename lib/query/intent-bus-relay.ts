import type { SseMessage } from "./sse-parser";

/** What a leading tab tells the others: each frame of its stream, and each change of the stream's state. */
export type RelayNote =
  | { kind: "frame"; message: SseMessage }
  | { kind: "status"; status: "live" | "stale"; resumed: boolean; to?: string }
  | { kind: "hello"; from: string };

/** Where a leader sends what its connection hears (`IntentEventBus` relays through it). */
export interface Relay {
  frame: (message: SseMessage) => void;
  status: (status: "live" | "stale", resumed: boolean) => void;
}

/** The bus as the relay drives it. */
export interface RelayTarget {
  /** The leader's stream state, for a tab that asks on joining. */
  liveState: () => "live" | "stale" | "connecting";
  dispatch: (message: SseMessage) => void;
  connected: (resumed: boolean) => void;
  stale: () => void;
  /** Opens this tab's own connection, relaying it; `canResume` false: start at the head (nothing heard yet). */
  lead: (relay: Relay, canResume: boolean) => () => void;
}

/** The part of the Web Locks API used here (`navigator.locks`), so tests can give their own. */
export interface LockManagerLike {
  request: (name: string, options: { signal: AbortSignal }, callback: () => Promise<void>) => Promise<unknown>;
}

/** The browser's locks and channels, or null where one is missing (then each tab keeps its own connection). */
export function browserSharing(): { locks: LockManagerLike; channel: (name: string) => BroadcastChannel } | null {
  if (typeof BroadcastChannel === "undefined" || typeof navigator === "undefined" || !navigator.locks) return null;
  return { locks: navigator.locks, channel: (name) => new BroadcastChannel(name) };
}

/**
 * One intent stream per browser and session instead of one per tab (Chromium allows six HTTP/1.1 connections per
 * host; two tabs with a stream or two each left their fetches queueing for the last one). The tab that gets the
 * lock `name` opens the connection and relays every frame and state change on the channel `name`; the others
 * listen, and one of them takes over when the leader leaves (its tab closed, or nothing there follows intents),
 * resuming after the last frame it heard. `name` carries the session's address: a tab signed in as someone else
 * uses another channel and never hears these frames.
 */
export function shareAcrossTabs(
  name: string,
  target: RelayTarget,
  sharing: { locks: LockManagerLike; channel: (name: string) => BroadcastChannel },
): () => void {
  const tabId = crypto.randomUUID();
  const channel = sharing.channel(name);
  const abort = new AbortController();
  let stopLeading: (() => void) | null = null;
  let release: (() => void) | null = null;
  // Until the leader said how its stream stands, this tab's subscribers have not heard it live.
  let isJoined = false;
  const post = (note: RelayNote): void => channel.postMessage(note);
  const relay: Relay = {
    frame: (message) => post({ kind: "frame", message }),
    status: (status, resumed) => post({ kind: "status", status, resumed }),
  };

  channel.onmessage = (event: MessageEvent<RelayNote>) => {
    const note = event.data;
    if (stopLeading) {
      const state = target.liveState();
      if (note.kind === "hello" && state !== "connecting")
        post({ kind: "status", status: state, resumed: false, to: note.from });
      return;
    }
    if (note.kind === "frame") return target.dispatch(note.message);
    if (note.kind !== "status" || (note.to !== undefined && note.to !== tabId)) return;
    if (note.status === "stale") return target.stale();
    // A tab that just joined heard nothing before: its subscribers catch up as on joining a live connection.
    target.connected(isJoined && note.resumed);
    isJoined = true;
  };
  post({ kind: "hello", from: tabId });

  sharing.locks
    .request(name, { signal: abort.signal }, () => {
      stopLeading = target.lead(relay, isJoined);
      isJoined = true;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    })
    .catch((error: unknown) => {
      // Leaving before the lock was granted aborts the request: that is not a failure.
      if (!abort.signal.aborted) console.warn("intent stream leadership failed", error);
    });

  return () => {
    abort.abort();
    stopLeading?.();
    stopLeading = null;
    release?.();
    channel.close();
  };
}
