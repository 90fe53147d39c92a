import { describe, expect, it } from "vitest";
import { readBoundedBody } from "./bounded-body";

/** A request whose body is produced on demand, counting how much the reader pulled. */
function streamingRequest(totalBytes: number, chunkBytes = 1024, headers: HeadersInit = {}) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= totalBytes) return controller.close();
      const size = Math.min(chunkBytes, totalBytes - pulled);
      pulled += size;
      controller.enqueue(new Uint8Array(size).fill(65));
    },
  });
  const request = new Request("http://localhost/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);
  return { request, pulled: () => pulled };
}

describe("readBoundedBody", () => {
  it("returns a body within the bound", async () => {
    const result = await readBoundedBody(new Request("http://localhost/x", { method: "POST", body: "hello" }), 10);
    expect(result.ok && new TextDecoder().decode(result.bytes)).toBe("hello");
  });

  it("refuses a declared Content-Length over the bound without reading", async () => {
    const { request, pulled } = streamingRequest(10 * 1024 * 1024, 1024, {
      "content-length": String(10 * 1024 * 1024),
    });
    expect(await readBoundedBody(request, 32 * 1024)).toEqual({ ok: false });
    expect(pulled()).toBeLessThanOrEqual(1024);
  });

  it("stops reading a chunked body at the bound", async () => {
    const { request, pulled } = streamingRequest(10 * 1024 * 1024);
    expect(await readBoundedBody(request, 32 * 1024)).toEqual({ ok: false });
    expect(pulled()).toBeLessThan(40 * 1024);
  });
});
