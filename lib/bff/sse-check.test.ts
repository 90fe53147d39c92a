import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { checkedEvents } from "./sse-check";

const Tick = z.object({ n: z.number().int() });

/** Runs `chunks` (split anywhere, even inside a character) through the checker and returns what comes out. */
async function run(chunks: readonly Uint8Array[]): Promise<string> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(source.pipeThrough(checkedEvents({ tick: Tick }, "OMS"))).text();
}

describe("checkedEvents", () => {
  it("hands on a valid frame as the schema's output, others byte for byte, and drops a frame that breaks its schema", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const good = 'id: 1\nevent: tick\ndata: {"n":1,"note":"é"}\n\n';
    const bad = 'id: 2\nevent: tick\ndata: {"n":"two","secret":"s3cr3t"}\n\n';
    const broken = "id: 3\nevent: tick\ndata: {not json\n\n";
    const other = "event: reset\ndata: {}\n\n: keep-alive comment\n\n";
    const bytes = new TextEncoder().encode(good + bad + broken + other);
    // Split every 7 bytes: frames and the two-byte "é" straddle chunk boundaries.
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += 7) chunks.push(bytes.slice(at, at + 7));
    // The schema's output: what the browser's types describe (unknown keys stripped, transforms applied).
    expect(await run(chunks)).toBe(`id: 1\nevent: tick\ndata: {"n":1}\n\n${other}`);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(JSON.stringify(warn.mock.calls)).not.toContain("s3cr3t");
  });
});
