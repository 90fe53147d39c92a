import type { InfiniteData } from "@tanstack/react-query";
import type { Intent, IntentList } from "@/lib/defix/intents";

/** The history's cached list: the pages loaded so far (apart from live-cache.ts, which loads after the page). */
export type IntentPages = InfiniteData<IntentList, unknown>;

export function rowsOf(data: IntentPages | undefined): Intent[] {
  return data ? data.pages.flatMap((page) => page.data) : [];
}
