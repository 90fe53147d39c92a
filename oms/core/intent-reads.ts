import type { Kysely } from "kysely";
import type { IntentEvent, ListIntentsQuery } from "../../lib/defix";
import type { FacetCache } from "../store/facets";
import { getIntentView, listIntents } from "../store/list-repo";
import type { Database } from "../store/schema";
import { createReadCache } from "./read-cache";

/** An intent's answer as sent, with its vault so the route can check the caller's visibility first. */
export interface SerializedIntent {
  vault_id: string;
  body: Buffer;
}

export interface IntentReads {
  /** GET /defix/intents/{id}'s bytes, read through a cache by id; null when there is no such intent. */
  intent(id: string): Promise<SerializedIntent | null>;
  /** GET /defix/intents's bytes; first pages are cached per (visible vaults, filters). */
  page(query: ListIntentsQuery, visible: readonly string[] | "all"): Promise<Buffer>;
  /** Events just committed, by this process or (as the event bus delivers them) another: drop what they change. */
  committed(events: readonly IntentEvent[]): void;
  stats(): { intents: { entries: number; bytes: number }; pages: { entries: number; bytes: number } };
}

export interface ReadCacheLimits {
  /** Bytes of serialized intents kept (default 32 MiB); 0 turns the by-id cache off. */
  intentBytes?: number;
  /** Bytes of serialized first pages kept (default 16 MiB); 0 turns the page cache off. */
  pageBytes?: number;
}

export interface IntentReadsDeps {
  db: Kysely<Database>;
  facetCache: FacetCache;
  /** Whether every commit from now on will reach `committed` (the event bus is listening). */
  isListening(): boolean;
  limits?: ReadCacheLimits;
}

const MIB = 1024 * 1024;

/**
 * The read path's answers as bytes. A hit costs a map lookup instead of a database read and a
 * serialization; every commit drops what it changes (see `committed`), so a cached answer is never
 * older than the event bus's delivery of the commit that changed it.
 */
export function createIntentReads(deps: IntentReadsDeps): IntentReads {
  const intentBytes = deps.limits?.intentBytes ?? 32 * MIB;
  const pageBytes = deps.limits?.pageBytes ?? 16 * MIB;
  const intents = createReadCache<SerializedIntent>({
    maxBytes: intentBytes,
    maxEntries: intentBytes === 0 ? 0 : 100_000,
    sizeOf: (entry) => entry.body.length + entry.vault_id.length * 2,
    isStorable: deps.isListening,
  });
  const pages = createReadCache<Buffer>({
    maxBytes: pageBytes,
    maxEntries: pageBytes === 0 ? 0 : 512,
    sizeOf: (body) => body.length,
    isStorable: deps.isListening,
  });

  async function loadIntent(id: string): Promise<SerializedIntent | null> {
    const intent = await getIntentView(deps.db, id);
    return intent === null ? null : { vault_id: intent.vault_id, body: Buffer.from(JSON.stringify(intent)) };
  }

  async function loadPage(query: ListIntentsQuery, visible: readonly string[] | "all"): Promise<Buffer> {
    return Buffer.from(JSON.stringify(await listIntents(deps.db, query, visible, deps.facetCache)));
  }

  return {
    intent: (id) => intents.read(id, () => loadIntent(id)),
    async page(query, visible) {
      // Later pages are walked once by a client holding a cursor: not worth keeping.
      if (query.cursor !== undefined) return loadPage(query, visible);
      const key = JSON.stringify([visible === "all" ? "all" : [...visible].sort(), query]);
      const body = await pages.read(key, () => loadPage(query, visible));
      return body ?? loadPage(query, visible);
    },
    committed(events) {
      if (events.length === 0) return;
      intents.invalidate(events.map((event) => event.intent_id));
      // Any commit can move rows into, out of or within a page, and changes its counts.
      pages.clear();
    },
    stats: () => ({ intents: intents.stats(), pages: pages.stats() }),
  };
}
