import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { getFreePort } from "./anvil";
import { servesEntryPoint } from "./bundler";
import { type Stack, startStack } from "./stack";

/** `npm start`'s stack runs the local bundler against its own anvil and hands its URL to the OMS. */

let stack: Stack | undefined;
const dataDir = mkdtempSync(path.join(tmpdir(), "defix-stack-bundler-"));
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it("starts alto for the world's EntryPoint and gives the OMS BUNDLER_URL", async () => {
  const previous = process.env.BUNDLER_URL;
  delete process.env.BUNDLER_URL;
  try {
    const [chain, oms, runner, bundler] = await Promise.all([
      getFreePort(),
      getFreePort(),
      getFreePort(),
      getFreePort(),
    ]);
    stack = await startStack({
      dataDir,
      web: "none",
      runner: false,
      ports: { chain, oms, runner, bundler },
      bundler: true,
    });
  } finally {
    if (previous !== undefined) process.env.BUNDLER_URL = previous;
  }
  expect(stack.bundler.url).toBe(`http://127.0.0.1:${stack.bundler.url?.split(":").at(-1)}`);
  expect(stack.env.BUNDLER_URL).toBe(stack.bundler.url);
  expect(stack.bundler.note).toMatch(/local alto/);
  expect(await servesEntryPoint(stack.bundler.url!, stack.manifest.contracts.entry_point!)).toBe(true);
}, 180_000);
