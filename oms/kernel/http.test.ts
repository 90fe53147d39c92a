import { describe, expect, it } from "vitest";
import { parseJson } from "./http";

describe("request body JSON", () => {
  it("parses ordinary bodies, escapes included", () => {
    expect(parseJson('{"a":[1,{"b":"x"}],"c":null}')).toEqual({ a: [1, { b: "x" }], c: null });
    expect(parseJson('{"name":"caf\\u00e9","__proto":"1"}')).toEqual({ name: "café", __proto: "1" });
  });

  it("refuses a __proto__ key however it is spelled, at any depth", () => {
    for (const text of [
      '{"__proto__":{"admin":true}}',
      '{"a":{"__proto__":{}}}',
      '{"\\u005f_proto__":{"admin":true}}',
      '{"a":[{"__pr\\u006fto__":1}]}',
    ]) {
      expect(() => parseJson(text), text).toThrow(/__proto__/);
    }
  });

  it("keeps a __proto__ that is a value, not a key", () => {
    expect(parseJson('{"note":"__proto__"}')).toEqual({ note: "__proto__" });
  });
});
