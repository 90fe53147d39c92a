import { connect } from "@nats-io/transport-node";

export const LOCAL_NATS_URL = "nats://127.0.0.1:4222";

/** True when a NATS server with JetStream enabled answers at `url` within `timeoutMs`. */
export async function natsAnswers(url: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    const nc = await connect({ servers: url, timeout: timeoutMs, reconnect: false });
    try {
      const info = nc.info;
      return info?.jetstream === true;
    } finally {
      await nc.close();
    }
  } catch {
    return false; // refused, timed out or not NATS: in every case there is no broker to use here
  }
}
