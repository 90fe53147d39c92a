import type { InfiniteData } from "@tanstack/react-query";
import type { Intent, IntentList } from "@/lib/defix/intents";

/** The history's cached list: the pages loaded so far (apart from live-cache.ts, which loads after the page). */
export type IntentPages = InfiniteData<IntentList, unknown>;

export function rowsOf(data: IntentPages | undefined): Intent[] {
  return data ? data.pages.flatMap((page) => page.data) : [];
}

/** The list's order (the OMS's too): newest first, ties by id. */
export function newestFirst(a: Intent, b: Intent): number {
  return b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id);
}
