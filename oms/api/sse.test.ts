import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitBody, VAULT_A, VAULT_B } from "./test-support/fixtures";
import { createUnitHarness, PRIMARY, SECONDARY, type UnitHarness } from "./test-support/harness";

let h: UnitHarness;
let base: string;
beforeAll(async () => {
  h = await createUnitHarness({ heartbeatMs: 100 });
  await h.app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  // fetch keeps a spare idle socket for ~4 s that would otherwise hold close().
  h.app.server.closeAllConnections();
  await h.app.close();
});

async function newIntent(vaultId: string, size: string): Promise<string> {
  const res = await h.app.inject({
    method: "POST",
    url: "/defix/intents",
    headers: await h.bearer(PRIMARY),
    payload: submitBody(vaultId, size),
  });
  return res.json().id;
}

interface Frame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

function parseFrames(text: string): Frame[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const frame: Frame = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) frame.comment = line.slice(1).trim();
        else {
          const [key, ...rest] = line.split(": ");
          if (key === "id" || key === "event" || key === "data") frame[key] = rest.join(": ");
        }
      }
      return frame;
    });
}

/** Reads an SSE response until `until` holds for the frames so far (or the stream ends). */
async function readUntil(response: Response, until: (frames: Frame[]) => boolean, timeoutMs = 5_000): Promise<Frame[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (until(parseFrames(text))) break;
    }
  } finally {
    await reader.cancel();
  }
  return parseFrames(text);
}

const seqs = (frames: Frame[]) =>
  frames.filter((frame) => frame.event === "intent_event").map((frame) => Number(frame.id));

describe("intent events over SSE", () => {
  it("resumes after Last-Event-ID and ends after the terminal event", async () => {
    const id = await newIntent(VAULT_A, "301");
    h.intents.append(id, "INTENT_ACKED", "ACKED");
    h.intents.append(id, "INTENT_STAGED", "STAGED");
    h.intents.append(id, "INTENT_CANCELED", "CANCELED");
    const res = await h.app.inject({
      method: "GET",
      url: `/defix/intents/${id}/events`,
      headers: { ...(await h.bearer(SECONDARY)), accept: "text/event-stream", "last-event-id": "2" },
    });
    expect(res.headers["content-type"]).toContain("text/event-stream");
    const frames = parseFrames(res.body);
    expect(seqs(frames)).toEqual([3, 4]);
    expect(JSON.parse(frames.find((frame) => frame.id === "4")?.data ?? "{}").message_type).toBe("INTENT_CANCELED");
  });

  it("a resume after the end of a finished intent ends at once", async () => {
    const id = await newIntent(VAULT_A, "302");
    h.intents.append(id, "INTENT_CANCELED", "CANCELED");
    const res = await h.app.inject({
      method: "GET",
      url: `/defix/intents/${id}/events`,
      headers: { ...(await h.bearer(PRIMARY)), accept: "text/event-stream", "last-event-id": "2" },
    });
    expect(seqs(parseFrames(res.body))).toEqual([]);
  });

  it("streams live events in order with heartbeats, and stops at the terminal one", async () => {
    const id = await newIntent(VAULT_A, "303");
    const response = await fetch(`${base}/defix/intents/${id}/events`, {
      headers: { ...(await h.bearer(PRIMARY)), accept: "text/event-stream" },
    });
    expect(response.status).toBe(200);
    const appended = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      h.intents.append(id, "INTENT_ACKED", "ACKED");
      h.intents.append(id, "INTENT_STAGED", "STAGED");
      h.intents.append(id, "INTENT_PLANNED", "PLANNED");
      h.intents.append(id, "INTENT_ABORTED", "ABORTED");
      h.intents.append(id, "WAITING");
    })();
    const frames = await readUntil(response, () => false);
    await appended;
    expect(seqs(frames)).toEqual([1, 2, 3, 4, 5]);
    expect(frames.some((frame) => frame.comment === "heartbeat")).toBe(true);
  });

  it("a bad Last-Event-ID is a 400, not a silent restart", async () => {
    const id = await newIntent(VAULT_A, "304");
    const res = await h.app.inject({
      method: "GET",
      url: `/defix/intents/${id}/events`,
      headers: { ...(await h.bearer(PRIMARY)), accept: "text/event-stream", "last-event-id": "x" },
    });
    expect(res.statusCode).toBe(400);
  });
});

describe("vault stream", () => {
  it("forwards only events of the caller's vaults, with their vault id", async () => {
    const response = await fetch(`${base}/defix/stream`, {
      headers: { ...(await h.bearer(SECONDARY)), accept: "text/event-stream" },
    });
    expect(response.status).toBe(200);
    const hidden = await newIntent(VAULT_B, "401");
    const shown = await newIntent(VAULT_A, "402");
    h.intents.append(hidden, "INTENT_ACKED", "ACKED");
    h.intents.append(shown, "INTENT_ACKED", "ACKED");
    const frames = await readUntil(
      response,
      (all) => all.filter((frame) => frame.event === "intent_event").length >= 2,
    );
    const events = frames
      .filter((frame) => frame.event === "intent_event")
      .map((frame) => JSON.parse(frame.data ?? "{}"));
    expect(events.map((event) => [event.intent_id, event.seq_num, event.vault_id])).toEqual([
      [shown, 1, VAULT_A],
      [shown, 2, VAULT_A],
    ]);
  });

  it("ids are positions; a reconnect with Last-Event-ID gets what it missed, then live events, once each", async () => {
    const first = await fetch(`${base}/defix/stream`, {
      headers: { ...(await h.bearer(SECONDARY)), accept: "text/event-stream" },
    });
    const intent = await newIntent(VAULT_A, "411");
    const seen = await readUntil(first, (all) => all.some((frame) => frame.event === "intent_event"));
    // The last event frame, not the last frame: a heartbeat may follow it in the same read under load.
    const lastEvent = seen.filter((frame) => frame.event === "intent_event").at(-1);
    const lastId = lastEvent?.id ?? "";
    expect(JSON.parse(lastEvent?.data ?? "{}").position).toBe(Number(lastId));
    // Disconnected: these happen while the client is away, one of them in a vault it cannot see.
    const missed = [h.intents.append(intent, "INTENT_ACKED", "ACKED")];
    h.intents.append(await newIntent(VAULT_B, "412"), "INTENT_ACKED", "ACKED");
    missed.push(h.intents.append(intent, "INTENT_STAGED", "STAGED"));
    const resumed = await fetch(`${base}/defix/stream`, {
      headers: { ...(await h.bearer(SECONDARY)), accept: "text/event-stream", "last-event-id": lastId },
    });
    const readAll = readUntil(resumed, (all) => all.filter((frame) => frame.event === "intent_event").length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const live = h.intents.append(intent, "INTENT_PLANNED", "PLANNED");
    const frames = (await readAll).filter((frame) => frame.event === "intent_event");
    expect(frames.map((frame) => JSON.parse(frame.data ?? "{}").event_id)).toEqual([
      ...missed.map((event) => event.event_id),
      live.event_id,
    ]);
    expect(frames.map((frame) => Number(frame.id))).toEqual([...missed, live].map((event) => event.position));
  });

  it("?after= resumes like Last-Event-ID", async () => {
    const intent = await newIntent(VAULT_A, "413");
    const acked = h.intents.append(intent, "INTENT_ACKED", "ACKED");
    const response = await fetch(`${base}/defix/stream?after=${(acked.position ?? 0) - 1}`, {
      headers: { ...(await h.bearer(SECONDARY)), accept: "text/event-stream" },
    });
    const frames = await readUntil(response, (all) => all.some((frame) => frame.event === "intent_event"));
    expect(frames.find((frame) => frame.event === "intent_event")?.id).toBe(String(acked.position));
  });

  it("a position it cannot resume from gets event: reset with the head, then live events", async () => {
    for (const lastEventId of ["999999", "some-intent:3"]) {
      const response = await fetch(`${base}/defix/stream`, {
        headers: { ...(await h.bearer(SECONDARY)), accept: "text/event-stream", "last-event-id": lastEventId },
      });
      const reading = readUntil(response, (all) => all.some((frame) => frame.event === "intent_event"));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const head = await h.intents.headPosition();
      const live = await newIntent(VAULT_A, `414${lastEventId.length}`);
      const frames = (await reading).filter((frame) => frame.event !== undefined);
      expect(frames[0]?.event).toBe("reset");
      expect(frames[0]?.id).toBe(String(head));
      expect(JSON.parse(frames[0]?.data ?? "{}").head).toBe(head);
      expect(JSON.parse(frames.find((frame) => frame.event === "intent_event")?.data ?? "{}").intent_id).toBe(live);
    }
  });

  it("a Last-Event-ID that is no position is a 400", async () => {
    const response = await fetch(`${base}/defix/stream`, {
      headers: { ...(await h.bearer(SECONDARY)), accept: "text/event-stream", "last-event-id": "-1" },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("BAD_REQUEST");
  });

  it("closing the app ends open streams instead of hanging", async () => {
    const extra = await createUnitHarness({ heartbeatMs: 1_000 });
    await extra.app.listen({ port: 0, host: "127.0.0.1" });
    const url = `http://127.0.0.1:${(extra.app.server.address() as AddressInfo).port}/defix/stream`;
    const response = await fetch(url, { headers: await extra.bearer(PRIMARY) });
    const reading = readUntil(response, () => false, 10_000);
    const started = Date.now();
    await extra.app.close();
    await reading;
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
