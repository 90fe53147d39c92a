import { beforeAll, expect, it } from "vitest";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { submission } from "../domain/test-support/intents";
import { describeOmsWorlds, grantSessionKey, MANAGER_ONE, VIEWER, vaultBySymbol } from "./test-support/oms-suite";
import type { OmsWorld } from "./test-support/oms-world";

/** The vault stream (`GET /defix/stream`) over intents that run to COMPLETED: ALPHA's session key is granted first. */
describeOmsWorlds("OMS HTTP API: the vault stream", (w) => {
  let alpha: ManifestVault;

  beforeAll(async () => {
    alpha = vaultBySymbol(w, "svALPHA");
    await grantSessionKey(w, alpha);
  });

  const api = (...args: Parameters<OmsWorld["api"]>) => w.api(...args);

  it("the vault stream delivers a new intent's events live, in order", async () => {
    const controller = new AbortController();
    const stream = await fetch(`${w.baseUrl}/defix/stream?vault_id=${alpha.vault_id}`, {
      headers: { ...(await w.bearer(VIEWER)), accept: "text/event-stream" },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const submitted = await api(
      "POST",
      "/defix/intents",
      MANAGER_ONE,
      submission(w.manifest, alpha, { action: "DEPOSIT", sizeExpr: "2000000" }),
    );
    expect(submitted.status).toBe(201);
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const seen: Array<{ seq_num: number; message_type: string; vault_id: string }> = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !seen.some((event) => event.message_type === "INTENT_COMPLETED")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      const frames = text.split("\n\n");
      text = frames.pop() ?? "";
      for (const frame of frames) {
        const data = frame.split("\n").find((line) => line.startsWith("data: "));
        const event = data ? JSON.parse(data.slice(6)) : null;
        if (event?.intent_id === submitted.body.id) seen.push(event);
      }
    }
    controller.abort();
    expect(seen.map((event) => event.seq_num)).toEqual(seen.map((_, index) => index + 1));
    expect(seen.every((event) => event.vault_id === alpha.vault_id)).toBe(true);
    expect(seen.at(-1)?.message_type).toBe("INTENT_COMPLETED");
  });

  it("the vault stream resumes by position: a reconnect gets every event it missed, in order, once", async () => {
    const submitted = await api(
      "POST",
      "/defix/intents",
      MANAGER_ONE,
      submission(w.manifest, alpha, { action: "DEPOSIT", sizeExpr: "2100000" }),
    );
    expect(submitted.status).toBe(201);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const intent = (await api("GET", `/defix/intents/${submitted.body.id}`, VIEWER)).body;
      if (intent.state === "COMPLETED") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const log = (await api("GET", `/defix/intents/${submitted.body.id}/events`, VIEWER)).body.events as Array<{
      event_id: string;
      position: number;
    }>;
    expect(log.at(-1)).toMatchObject({ message_type: "INTENT_COMPLETED" });
    const resumeAfter = (log[0]?.position ?? 0) as number;
    const controller = new AbortController();
    const stream = await fetch(`${w.baseUrl}/defix/stream?vault_id=${alpha.vault_id}`, {
      headers: { ...(await w.bearer(VIEWER)), accept: "text/event-stream", "last-event-id": String(resumeAfter) },
      signal: controller.signal,
    });
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const ids: number[] = [];
    const mine: string[] = [];
    while (Date.now() < deadline && mine.length < log.length - 1) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      const frames = text.split("\n\n");
      text = frames.pop() ?? "";
      for (const frame of frames) {
        const id = frame.split("\n").find((line) => line.startsWith("id: "));
        const data = frame.split("\n").find((line) => line.startsWith("data: "));
        const event = data ? JSON.parse(data.slice(6)) : null;
        if (id) ids.push(Number(id.slice(4)));
        if (event?.intent_id === submitted.body.id) mine.push(event.event_id);
      }
    }
    controller.abort();
    expect(mine).toEqual(log.slice(1).map((event) => event.event_id));
    expect(ids[0]).toBeGreaterThan(resumeAfter);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
