import { type JetStreamClient, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, headers, type NatsConnection } from "@nats-io/transport-node";
import type { Kysely } from "kysely";
import type { Logger } from "../../kernel/logger";
import { listEventsAfterPosition } from "../../store/events-repo";
import type { Database } from "../../store/schema";
import {
  type ConsumerLoop,
  type ConsumerStatus,
  pageResult,
  type StepResult,
  startConsumerLoop,
} from "../consumer-loop";
import { ensureStream, type StreamSettings, subjectToken } from "./stream";

export interface NatsRelayOptions {
  db: Kysely<Database>;
  natsUrl: string;
  stream: StreamSettings;
  chainId: number;
  /** A vault's contract address (subject token); the vault id when it is not in the manifest. */
  vaultAddress(vaultId: string): string | undefined;
  /** This process's lease owner id. */
  owner: string;
  log: Logger;
  leaseMs?: number;
  tickMs?: number;
  pageSize?: number;
  publishTimeoutMs?: number;
  /** Consumer name (tests run several relays apart); default "nats". */
  name?: string;
}

export interface RelayStatus extends ConsumerStatus {
  connected: boolean;
  stream: string;
  published: number;
}

export interface NatsRelay {
  wake(): void;
  status(): RelayStatus;
  close(): Promise<void>;
}

/** The header carrying the event's global position, so a subscriber can check order. */
export const POSITION_HEADER = "DeFiX-Position";

/**
 * Publishes every committed event to JetStream, in position order, one ack at a time, at least once
 * (docs/ARCHITECTURE.md, "NATS relay"). The connection reconnects forever; while NATS is away the
 * consumer's step fails, is logged once, and is retried on the tick from the stored cursor.
 */
export async function startNatsRelay(options: NatsRelayOptions): Promise<NatsRelay> {
  const log = options.log;
  let connection: NatsConnection | null = null;
  let js: JetStreamClient | null = null;
  let streamReady = false;
  let connected = false;
  let published = 0;
  let closing = false;

  async function ensureConnected(): Promise<JetStreamClient> {
    if (connection === null) {
      const nc = await connect({
        servers: options.natsUrl,
        name: `defix-oms-relay-${options.owner}`,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 1_000,
        timeout: 2_000,
      });
      connection = nc;
      connected = true;
      void watch(nc);
      js = jetstream(nc, { timeout: options.publishTimeoutMs ?? 5_000 });
    }
    if (!streamReady) {
      await ensureStream(await jetstreamManager(connection), options.stream);
      streamReady = true;
    }
    if (js === null) throw new Error("NATS JetStream client missing");
    return js;
  }

  async function watch(nc: NatsConnection): Promise<void> {
    try {
      for await (const status of nc.status()) {
        if (status.type === "disconnect") {
          connected = false;
          log.warn("NATS disconnected; the relay resumes from its cursor when it is back", { server: options.natsUrl });
        } else if (status.type === "reconnect") {
          connected = true;
          // A restarted server with a fresh store lost the stream: check it again before publishing.
          streamReady = false;
          log.warn("NATS reconnected", { server: options.natsUrl });
        }
      }
    } catch (error) {
      log.error("NATS status watcher stopped", { error: error instanceof Error ? error.message : String(error) });
    }
    const closed = await nc.closed();
    connected = false;
    if (!closing) {
      log.error("NATS connection closed; reconnecting on the next tick", { error: closed?.message });
      connection = null;
      js = null;
      streamReady = false;
    }
  }

  async function step(position: number): Promise<StepResult> {
    const client = await ensureConnected();
    const limit = options.pageSize ?? 200;
    const events = await listEventsAfterPosition(options.db, position, "all", limit);
    let last = position;
    for (const event of events) {
      const vault = subjectToken((options.vaultAddress(event.vault_id) ?? event.vault_id).toLowerCase());
      const subject = `${options.stream.subjectPrefix}.${options.chainId}.${vault}.${subjectToken(event.message_type)}`;
      const h = headers();
      h.set(POSITION_HEADER, String(event.position));
      try {
        await client.publish(subject, JSON.stringify(event), { msgID: event.event_id, headers: h });
      } catch (error) {
        // Keep what was acked; the rest is retried from `last`.
        if (last !== position) return { position: last, hasMore: true };
        throw new Error(`publish of event at position ${event.position} failed: ${(error as Error).message}`);
      }
      published += 1;
      last = event.position ?? last;
    }
    return pageResult(last, events.length, limit);
  }

  const loop: ConsumerLoop = startConsumerLoop({
    db: options.db,
    name: options.name ?? "nats",
    owner: options.owner,
    leaseMs: options.leaseMs ?? 15_000,
    tickMs: options.tickMs ?? 1_000,
    initialPosition: 0,
    step,
    log,
  });

  return {
    wake: () => loop.wake(),
    status: () => ({ ...loop.status(), connected, stream: options.stream.name, published }),
    async close() {
      closing = true;
      await loop.stop();
      await connection?.close();
    },
  };
}
