import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";

/**
 * The JetStream stream the relay publishes to, created or updated at start (docs/ARCHITECTURE.md):
 * subjects `<prefix>.>`, limits retention (consumers read at their own pace; nothing is removed on ack),
 * file storage, messages kept `maxAgeHours`, and a duplicate window in which a republished event id
 * (a relay that crashed after publishing, before advancing its cursor) is dropped by the server.
 */
export interface StreamSettings {
  name: string;
  subjectPrefix: string;
  maxAgeHours: number;
  duplicateWindowMinutes: number;
}

export async function ensureStream(jsm: JetStreamManager, settings: StreamSettings): Promise<void> {
  const config = {
    subjects: [`${settings.subjectPrefix}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(settings.maxAgeHours * 3_600_000),
    duplicate_window: nanos(settings.duplicateWindowMinutes * 60_000),
    description: "DeFiX OMS intent events (the OMS's outbox relay)",
  };
  try {
    const info = await jsm.streams.info(settings.name);
    const current = info.config;
    const same =
      current.subjects?.join(",") === config.subjects.join(",") &&
      current.max_age === config.max_age &&
      current.duplicate_window === config.duplicate_window;
    if (!same) await jsm.streams.update(settings.name, config);
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
    await jsm.streams.add({ name: settings.name, ...config });
  }
}

/** A subject token: NATS tokens cannot hold `.`, `*`, `>` or whitespace. */
export function subjectToken(value: string): string {
  return value.replace(/[.*>\s]/g, "_") || "_";
}
