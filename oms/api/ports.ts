import type { z } from "zod";
import type { Fill, IntentEvent, TxAttempt } from "../../lib/defix/events";
import type { Intent, IntentList, ListIntentsQuery, SubmitIntent } from "../../lib/defix/intents";

export interface Actor {
  subject: string;
  kind: "user" | "service";
}

/** The intent core as the API sees it (docs/ARCHITECTURE.md, `oms/core/intent-service.ts`). */
export interface IntentService {
  submit(input: SubmitIntent, actor: Actor): Promise<{ intent: Intent; created: boolean }>;
  get(id: string): Promise<Intent | null>;
  list(query: ListIntentsQuery, visibleVaultIds: readonly string[] | "all"): Promise<IntentList>;
  cancel(id: string, actor: Actor): Promise<Intent>;
  events(id: string, afterSeq: number, limit: number): Promise<IntentEvent[]>;
  fills(id: string): Promise<Fill[]>;
  attempts(id: string): Promise<z.infer<typeof TxAttempt>[]>;
  subscribe(listener: (event: IntentEvent) => void): () => void;
}
