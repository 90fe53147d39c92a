import { describe, expect, it } from "vitest";
import { SseParser } from "./sse-parser";

describe("SseParser", () => {
  it("parses messages split across arbitrary chunks", () => {
    const parser = new SseParser();
    const stream = 'id: 1\nevent: intent_event\ndata: {"a":1}\n\n: keep-alive\n\nid: 2\ndata: x\ndata: y\n\n';
    const messages = [];
    for (let i = 0; i < stream.length; i += 3) messages.push(...parser.feed(stream.slice(i, i + 3)));
    expect(messages).toEqual([
      { id: "1", event: "intent_event", data: '{"a":1}' },
      { id: "2", event: "message", data: "x\ny" },
    ]);
    expect(parser.lastEventId).toBe("2");
  });
  it("handles CRLF, including a CR at a chunk boundary", () => {
    const parser = new SseParser();
    expect(parser.feed("data: a\r")).toEqual([]);
    expect(parser.feed("\n\r\n")).toEqual([{ id: null, event: "message", data: "a" }]);
  });
  it("keeps the last id for later messages and ignores retry and unknown fields", () => {
    const parser = new SseParser();
    const messages = parser.feed("id: 7\nretry: 1000\nfoo: bar\ndata: one\n\ndata: two\n\n");
    expect(messages.map((message) => message.id)).toEqual(["7", "7"]);
  });
  it("does not dispatch blocks without data", () => {
    expect(new SseParser().feed("event: ping\n\n")).toEqual([]);
  });
});
