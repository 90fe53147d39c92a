import { randomUUID } from "node:crypto";
import { encodeFunctionData } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vaultRegistryAbi } from "../../contracts/generated/abis";
import { devAccount } from "../../lib/chain/dev-accounts";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { submission } from "../domain/test-support/intents";
import { type OmsWorld, startOmsWorld } from "./test-support/oms-world";

const MANAGER_ONE = devAccount(1).address; // primary of ALPHA and BETA
const MANAGER_TWO = devAccount(2).address; // primary of GAMMA, secondary of ALPHA
const VIEWER = devAccount(3).address; // VIEW_ONLY on ALPHA

interface Frame {
  event?: string;
  data?: { code?: string; intent_id?: string; vault_id?: string; removed_vault_ids?: string[] };
}

/** An open SSE response whose frames are collected as they arrive, until the server ends it. */
function collect(response: Response) {
  const frames: Frame[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    let text = "";
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return Date.now();
      text += decoder.decode(value, { stream: true });
      const blocks = text.split("\n\n");
      text = blocks.pop() ?? "";
      for (const block of blocks) {
        const frame: Frame = {};
        for (const line of block.split("\n")) {
          if (line.startsWith("event: ")) frame.event = line.slice(7);
          if (line.startsWith("data: ")) frame.data = JSON.parse(line.slice(6));
        }
        if (frame.event) frames.push(frame);
      }
    }
  })();
  return { frames, ended, cancel: () => reader.cancel() };
}

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen in ${ms} ms`)), ms)),
  ]);

describe("open streams follow the caller's authorization (anvil)", () => {
  let w: OmsWorld;
  let alpha: ManifestVault;
  let gamma: ManifestVault;

  beforeAll(async () => {
    // Stream slots in Redis, under a prefix of this run's own, so the shared-limits path runs end to end too.
    w = await startOmsWorld("sqlite", {
      OMS_STREAM_REAUTH_MS: "300",
      REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
      OMS_REDIS_PREFIX: `test-oms-${randomUUID()}:`,
    });
    alpha = w.manifest.vaults.find((vault) => vault.symbol === "svALPHA")!;
    gamma = w.manifest.vaults.find((vault) => vault.symbol === "svGAMMA")!;
  });
  afterAll(async () => {
    await w?.stop();
  });

  async function stream(path: string, headers: Record<string, string>) {
    const response = await fetch(`${w.baseUrl}${path}`, { headers: { ...headers, accept: "text/event-stream" } });
    expect(response.status).toBe(200);
    return collect(response);
  }

  async function submit(vault: ManifestVault, size: string, who: string): Promise<string> {
    const response = await fetch(`${w.baseUrl}/defix/intents`, {
      method: "POST",
      headers: { ...(await w.bearer(who)), "content-type": "application/json" },
      body: JSON.stringify(submission(w.manifest, vault, { action: "DEPOSIT", sizeExpr: size })),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  it("a secondary manager removed on-chain stops receiving the vault's events, and its streams end", async () => {
    const headers = await w.bearer(MANAGER_TWO);
    const before = await submit(alpha, "1001", MANAGER_ONE);
    const alphaOnly = await stream(`/defix/stream?vault_id=${alpha.vault_id}`, headers);
    const everyVault = await stream("/defix/stream", headers);
    const oneIntent = await stream(`/defix/intents/${before}/events`, headers);
    const seenBefore = await submit(alpha, "1002", MANAGER_ONE);
    await within(
      (async () => {
        while (!everyVault.frames.some((frame) => frame.data?.intent_id === seenBefore)) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })(),
      10_000,
      "the event before removal",
    );

    await w.sendAs(1, {
      to: w.manifest.contracts.registry,
      data: encodeFunctionData({
        abi: vaultRegistryAbi,
        functionName: "removeSecondaryManager",
        args: [alpha.address as `0x${string}`, MANAGER_TWO],
      }),
      value: "0",
    });
    await within(alphaOnly.ended, 5_000, "the vault stream's end");
    await within(oneIntent.ended, 5_000, "the intent stream's end");
    for (const closed of [alphaOnly, oneIntent]) {
      expect(closed.frames.at(-1)).toMatchObject({ event: "stream_closed", data: { code: "FORBIDDEN" } });
    }

    const after = [await submit(alpha, "1003", MANAGER_ONE), await submit(alpha, "1004", MANAGER_ONE)];
    after.push(await submit(alpha, "1005", MANAGER_ONE));
    const stillMine = await submit(gamma, "1006", MANAGER_TWO);
    await within(
      (async () => {
        while (!everyVault.frames.some((frame) => frame.data?.intent_id === stillMine)) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })(),
      10_000,
      "GAMMA's event on the stream of every vault",
    );
    const leaked = everyVault.frames.filter((frame) => after.includes(frame.data?.intent_id ?? ""));
    expect(leaked).toEqual([]);
    // The stream that goes on says which vault it dropped, so a client holding its rows (the approvals queue)
    // refetches instead of showing them until the next event.
    expect(everyVault.frames.filter((frame) => frame.event === "access_changed")).toEqual([
      { event: "access_changed", data: { removed_vault_ids: [alpha.vault_id] } },
    ]);
    await everyVault.cancel();
  });

  it("a stream ends when its bearer token expires", async () => {
    const token = await w.issuer.sign({ sub: VIEWER.toLowerCase(), expiresIn: 2 });
    const opened = Date.now();
    const open = await stream(`/defix/stream?vault_id=${alpha.vault_id}`, { authorization: `Bearer ${token}` });
    const endedAt = await within(open.ended, 6_000, "the expired token's stream end");
    expect(endedAt - opened).toBeGreaterThan(500);
    expect(open.frames.at(-1)).toMatchObject({ event: "stream_closed", data: { code: "TOKEN_EXPIRED" } });
  });
});
