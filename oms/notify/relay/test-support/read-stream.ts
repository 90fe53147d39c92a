import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { POSITION_HEADER } from "../relay";

/** Every message the stream stores, in stream order: its event id (msg id) and position header. */
export async function readStream(
  url: string,
  stream: string,
): Promise<{ eventId: string; position: number; subject: string }[]> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream);
    const out: { eventId: string; position: number; subject: string }[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const message = await jsm.streams.getMessage(stream, { seq });
      if (message === null) continue;
      const body = message.json<{ event_id: string }>();
      out.push({
        subject: message.subject,
        eventId: body.event_id,
        position: Number(message.header.get(POSITION_HEADER)),
      });
    }
    return out;
  } finally {
    await nc.close();
  }
}
