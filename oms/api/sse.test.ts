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
