import { afterEach, describe, expect, it, vi } from "vitest";
import { streamExport, viewExportUrl } from "./audit-export";

const VAULT = "31337:0x00000000000000000000000000000000000000aa";
const NOW = Date.parse("2026-01-02T00:00:00.000Z");

describe("the history's Export", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("asks for exactly the filtered view of one vault, with the history's own list parameters", () => {
    const url = new URL(
      viewExportUrl(
        VAULT,
        { vault_id: VAULT, state: ["COMPLETED", "FAILED"], action: "DEPOSIT", range: "24h", q: " ab " },
        "jsonl",
        NOW,
      ),
      "http://x",
    );
    expect(url.pathname).toBe(`/api/oms/vaults/${encodeURIComponent(VAULT)}/audit`);
    expect(url.searchParams.getAll("state")).toEqual(["COMPLETED", "FAILED"]);
    expect(Object.fromEntries([...url.searchParams].filter(([key]) => key !== "state"))).toEqual({
      action: "DEPOSIT",
      from: "2026-01-01T00:00:00.000Z",
      q: "ab",
      scope: "view",
      format: "jsonl",
    });
  });

  it("counts bytes and records as they stream, and names the file as the OMS did", async () => {
    const lines = ["n,kind\n", "1,event\n2,fill\n", "manifest\n"];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const line of lines) controller.enqueue(new TextEncoder().encode(line));
        controller.close();
      },
    });
    const headers = { "content-disposition": 'attachment; filename="audit-v-view-x.csv"' };
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response(body, { status: 200, headers })),
    );
    const seen: number[] = [];
    const file = await streamExport("/x", "csv", new AbortController().signal, (p) => seen.push(p.records));
    expect(file).toMatchObject({ filename: "audit-v-view-x.csv", records: 2, bytes: lines.join("").length });
    expect(seen).toEqual([0, 2, 3]);
  });

  it("turns an OMS error into its code and message", async () => {
    const error = { error: { code: "FORBIDDEN", message: "No role on this vault" } };
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => Response.json(error, { status: 403 })),
    );
    await expect(streamExport("/x", "jsonl", new AbortController().signal, () => {})).rejects.toMatchObject({
      status: 403,
      code: "FORBIDDEN",
    });
  });
});
