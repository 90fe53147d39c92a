import { randomUUID } from "node:crypto";
import { ErrorCode } from "../../../lib/defix/errors";
import type { IntentEvent, MessageType } from "../../../lib/defix/events";
import { type Intent, type IntentState, isTerminalState, legacyStatus } from "../../../lib/defix/intents";
import { DomainError } from "../../kernel/errors";
import type { IntentService } from "../ports";

/**
 * A small in-memory IntentService for the API's unit tests only: enough lifecycle to exercise
 * routes, auth and SSE. Integration tests use the real intent core.
 */
export interface MemoryIntents extends IntentService {
  append(id: string, messageType: MessageType, state?: IntentState): IntentEvent;
  readonly count: number;
}

export function createMemoryIntents(): MemoryIntents {
  const intents = new Map<string, Intent>();
  const events = new Map<string, IntentEvent[]>();
  const listeners = new Set<(event: IntentEvent) => void>();
  /** Every event in append order: index + 1 is its global position. */
  const all: IntentEvent[] = [];

  function append(id: string, messageType: MessageType, state?: IntentState): IntentEvent {
    const intent = intents.get(id);
    if (!intent) throw new Error(`no intent ${id}`);
    const log = events.get(id) ?? [];
    const now = new Date().toISOString();
    const event: IntentEvent = {
      event_id: randomUUID(),
      intent_id: id,
      execution_id: null,
      message_type: messageType,
      seq_num: log.length + 1,
      payload: state ? { state } : {},
      created_at: now,
      position: all.length + 1,
      // A stand-in log: the HTTP layer under test only forwards payloads.
    } as IntentEvent;
    log.push(event);
    all.push(event);
    events.set(id, log);
    const next = state ?? intent.state;
    intents.set(id, {
      ...intent,
      state: next,
      status: legacyStatus(next),
      seq_num: event.seq_num,
      updated_at: now,
      completed_at: isTerminalState(next) ? now : null,
    });
    for (const listener of listeners) listener(event);
    return event;
  }

  const list: IntentService["list"] = async (query, visible) => {
    const data = [...intents.values()]
      .filter((intent) => visible === "all" || visible.includes(intent.vault_id))
      .filter((intent) => !query.vault_id || intent.vault_id === query.vault_id)
      .reverse()
      .slice(0, query.limit);
    const facets = { state: {}, action: {}, vault_id: {}, strategy_id: {} };
    return { data, next_cursor: null, facets };
  };

  // The serialized reads go through the object, so a test that replaces `get` or `list` changes them too.
  const service: MemoryIntents = {
    append,
    get count() {
      return intents.size;
    },
    async refine() {
      throw new Error("the in-memory intents do not refine; refinement is tested on anvil");
    },
    async refineIntent() {
      throw new Error("the in-memory intents do not refine; refinement is tested on anvil");
    },
    async refinement() {
      return null;
    },
    async submit(input, actor) {
      const key = JSON.stringify([input.vault_id, input.action, input.action_config]);
      const existing = [...intents.values()].find(
        (intent) =>
          !isTerminalState(intent.state) &&
          JSON.stringify([intent.vault_id, intent.action, intent.action_config]) === key,
      );
      if (existing) return { intent: existing, created: false };
      const now = new Date().toISOString();
      const id = randomUUID();
      intents.set(id, {
        id,
        vault_id: input.vault_id,
        strategy_id: input.strategy_id ?? null,
        action: input.action,
        objective: input.objective,
        account_mode: input.account_mode,
        action_config: input.action_config,
        state: "RECEIVED",
        status: "Processing",
        seq_num: 0,
        config_hash: `0x${"0".repeat(64)}`,
        size: null,
        deadline: input.deadline ?? new Date(Date.now() + 3_600_000).toISOString(),
        created_at: now,
        updated_at: now,
        state_entered_at: now,
        completed_at: null,
        tx_hash: null,
        gas_used: null,
        error: null,
        submitted_by: actor.subject,
        approval_status: "not_required",
        authorization: null,
      });
      append(id, "INTENT_RECEIVED", "RECEIVED");
      return { intent: intents.get(id)!, created: true };
    },
    async get(id) {
      return intents.get(id) ?? null;
    },
    list,
    async getSerialized(id) {
      const intent = await service.get(id);
      return intent ? { vault_id: intent.vault_id, body: Buffer.from(JSON.stringify(intent)) } : null;
    },
    async listSerialized(query, visible) {
      return Buffer.from(JSON.stringify(await service.list(query, visible)));
    },
    async cancel(id) {
      const intent = intents.get(id);
      if (!intent) throw new DomainError(ErrorCode.INTENT_NOT_FOUND, "not found");
      if (isTerminalState(intent.state)) throw new DomainError(ErrorCode.INTENT_TERMINAL, "Intent is terminal");
      append(id, "INTENT_CANCELED", "CANCELED");
      return intents.get(id)!;
    },
    async events(id, afterSeq, limit) {
      return (events.get(id) ?? []).filter((event) => event.seq_num > afterSeq).slice(0, limit);
    },
    async eventsAfter(position, vaultIds, limit) {
      return all
        .slice(position)
        .map((event) => ({ ...event, vault_id: intents.get(event.intent_id)?.vault_id ?? "" }))
        .filter((event) => vaultIds === "all" || vaultIds.includes(event.vault_id))
        .slice(0, limit);
    },
    async headPosition() {
      return all.length;
    },
    async fills() {
      return [];
    },
    async attempts() {
      return [];
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return service;
}
