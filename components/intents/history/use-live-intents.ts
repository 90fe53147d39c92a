"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef } from "react";
import type { IntentEvent } from "@/lib/defix/events";
import type { LiveStatus } from "@/lib/query/intent-bus";
import type { IntentFilters } from "@/lib/query/intent-filters";
import { useIntentBus } from "@/lib/query/use-intent-bus";
import type { LiveSync } from "./live-sync";

export type { LiveStatus };

/** A hidden tab runs no animation frames: its events are applied at least this often. */
const HIDDEN_FLUSH_MS = 500;
const POLL_MS = 5000;

/**
 * Keeps the loaded history current from the tab's intent event bus while it works, polling every 5 s
 * while it does not. Events are batched per animation frame (what arrived since the last frame re-renders the
 * table once; a hidden tab, which runs no frames, is flushed every 500 ms instead).
 *
 * The bus's one connection covers every vault of the user; a vault filter is applied here (each frame
 * names its vault). It keeps the history's resume semantics: a reconnect resumes after the tab's last
 * position, which is at or past anything this page applied, so the OMS replays what was missed and
 * nothing is refetched, however long the outage.
 */
export function useLiveIntents(filters: IntentFilters): LiveStatus {
  const client = useQueryClient();
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const vaultId = filters.vault_id ?? null;
  // The sync code (cache patching, facets, catch-up) loads after the page: events that arrive first wait in
  // the promise's queue and are applied in order once it has loaded; none is dropped.
  const sync = useMemo<Promise<LiveSync>>(
    () => import("./live-sync").then((module) => new module.LiveSync(client, () => filtersRef.current)),
    [client],
  );
  const buffer = useRef<IntentEvent[]>([]);
  const scheduled = useRef<{ frame: number; timer: ReturnType<typeof setTimeout> } | null>(null);

  useEffect(
    () => () => {
      if (scheduled.current) {
        cancelAnimationFrame(scheduled.current.frame);
        clearTimeout(scheduled.current.timer);
      }
      scheduled.current = null;
      buffer.current = [];
    },
    [],
  );

  const flush = (): void => {
    if (scheduled.current) {
      cancelAnimationFrame(scheduled.current.frame);
      clearTimeout(scheduled.current.timer);
    }
    scheduled.current = null;
    const events = buffer.current.splice(0);
    if (events.length > 0)
      sync
        .then((loaded) => loaded.applyBatch(events))
        .catch((error: unknown) => console.warn("live update failed", error));
  };

  const refetch = (why: string) =>
    sync.then((loaded) => loaded.poll(true)).catch((error: unknown) => console.warn(`${why} failed`, error));

  return useIntentBus(
    {
      onEvent: (event) => {
        const wanted = filtersRef.current.vault_id;
        if (wanted && event.vault_id !== wanted) return;
        buffer.current.push(event);
        scheduled.current ??= { frame: requestAnimationFrame(flush), timer: setTimeout(flush, HIDDEN_FLUSH_MS) };
      },
      // `reset`: the OMS cannot replay from the tab's position; `access_changed`: a lost vault's rows go.
      onGap: (gap) => refetch(`refetch after ${gap}`),
      onConnect: ({ resumed }) => {
        // A resumed connection replays what was missed. Otherwise (joining the tab's connection, taking it over,
        // or a reconnect with no position yet) the connection starts at the OMS's head, after the list was read:
        // what was committed in between (a whole intent's life, on a fast chain) is read once, however fresh the
        // list looks.
        if (resumed) return;
        sync.then((loaded) => loaded.catchUp()).catch((error: unknown) => console.warn("catch-up failed", error));
      },
      fallback: { everyMs: POLL_MS, run: () => refetch("poll") },
    },
    vaultId ?? "",
  );
}
