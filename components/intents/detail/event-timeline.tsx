"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import type { IntentEvent } from "@/lib/defix/events";
import { shortId } from "@/lib/format/hex";
import { formatClock, formatExact } from "@/lib/format/time";
import { stateOfEvent } from "../model/transitions";

function typeTone(event: IntentEvent): string {
  if (event.message_type === "INTENT_COMPLETED") return "text-emerald-700";
  if (/FAILED|ABORTED|EXPIRED|CANCELED|DROPPED/.test(event.message_type)) return "text-red-700";
  if (event.message_type === "WAITING") return "text-amber-700";
  return stateOfEvent(event) ? "text-blue-800" : "text-zinc-700";
}

/** The event log, oldest first like a ledger; each payload is pretty-printed, collapsible and copyable. */
export function EventTimeline({ events, isLive }: { events: readonly IntentEvent[]; isLive: boolean }) {
  const [openAll, setOpenAll] = useState<boolean | null>(null);
  return (
    <section aria-labelledby="timeline-title" className="space-y-2">
      <div className="flex items-center justify-between">
        <h2 id="timeline-title" className="font-semibold">
          Event timeline <span className="text-sm font-normal text-zinc-600">({events.length})</span>
        </h2>
        <div className="flex gap-1">
          <Button variant="ghost" onClick={() => setOpenAll(true)}>
            Expand all
          </Button>
          <Button variant="ghost" onClick={() => setOpenAll(false)}>
            Collapse all
          </Button>
        </div>
      </div>
      <ol
        className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 bg-surface"
        data-testid="event-timeline"
      >
        {events.map((event) => (
          <EventItem key={`${event.seq_num}-${openAll}`} event={event} isOpenInitially={openAll ?? false} />
        ))}
        {isLive ? (
          <li className="flex items-center gap-2 px-3 py-2 text-xs text-zinc-600">
            <span aria-hidden="true" className="h-1.5 w-1.5 motion-safe:animate-pulse rounded-full bg-blue-600" />
            Listening for new events…
          </li>
        ) : null}
      </ol>
    </section>
  );
}

function EventItem({ event, isOpenInitially }: { event: IntentEvent; isOpenInitially: boolean }) {
  const pretty = JSON.stringify(event.payload, null, 2);
  const hasPayload = Object.keys(event.payload).length > 0;
  return (
    <li
      className="px-3 py-1.5"
      data-intent-id={event.intent_id}
      data-seq={event.seq_num}
      data-message-type={event.message_type}
    >
      <details open={isOpenInitially} className="group">
        <summary className="flex cursor-pointer list-none items-center gap-3 rounded text-sm focus-visible:outline-2 focus-visible:outline-blue-600">
          <span className="w-8 text-right font-mono text-xs text-zinc-600">#{event.seq_num}</span>
          <span className={`w-40 font-mono text-xs font-semibold ${typeTone(event)}`}>{event.message_type}</span>
          <time
            dateTime={event.created_at}
            title={formatExact(event.created_at)}
            className="w-20 font-mono text-xs tabular-nums text-zinc-600"
          >
            {formatClock(event.created_at)}
          </time>
          <span
            className="w-28 truncate font-mono text-xs text-zinc-600"
            title={event.execution_id ?? "no execution yet"}
          >
            {event.execution_id ? `exec ${shortId(event.execution_id)}` : ""}
          </span>
          <span className="flex-1 truncate font-mono text-xs text-zinc-600">
            {hasPayload ? summarize(event.payload) : ""}
          </span>
          <span aria-hidden="true" className="text-xs text-zinc-600 group-open:rotate-90">
            ›
          </span>
        </summary>
        <div className="relative mt-1 ml-11">
          <pre className="max-h-80 overflow-auto rounded bg-zinc-950 p-3 text-xs text-zinc-100">{pretty}</pre>
          <span className="absolute top-1 right-1 rounded bg-surface/90">
            <CopyButton value={pretty} label="Copy payload" />
          </span>
        </div>
      </details>
    </li>
  );
}

/** A one-line preview of the payload's scalar fields, so most events read without expanding. */
function summarize(payload: Record<string, unknown>): string {
  return Object.entries(payload)
    .filter(([, value]) => typeof value !== "object" || value === null)
    .slice(0, 4)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join("  ");
}
