import { describe, expect, it } from "vitest";
import { sameOriginPath } from "./redirect";

const ORIGIN = "http://localhost:3000";

/** What a browser does with a Location header: the target it would navigate to. */
const navigatesTo = (location: string): URL => new URL(location, ORIGIN);

describe("sameOriginPath", () => {
  it.each([
    ["/intents", "/intents"],
    ["/intents?vault=31337%3A0xabc#fills", "/intents?vault=31337%3A0xabc#fills"],
    ["/vaults/31337:0xabc/canvas", "/vaults/31337:0xabc/canvas"],
    ["http://localhost:3000/intents", "/intents"],
    ["intents", "/intents"],
  ])("keeps the same-origin target %j", (input, expected) => {
    expect(sameOriginPath(input, ORIGIN)).toBe(expected);
  });

  it.each([
    "/\t/evil.example/x",
    "/\n/evil.example/x",
    "/\r\n/evil.example/x",
    "\t//evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    " //evil.example",
    "https://evil.example/x",
    "http://localhost:3000@evil.example/",
    "http://user:pass@localhost:3000/",
    "https://localhost:3000/",
    "http://localhost:3001/",
    "http://127.0.0.1:3000/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http:evil.example",
    "http:/evil.example",
    "//evil.example@localhost:3000",
    "http://[::1]:3000/",
  ])("never leaves the origin for %j", (input) => {
    const path = sameOriginPath(input, ORIGIN);
    expect(path.startsWith("/")).toBe(true);
    expect(path.startsWith("//")).toBe(false);
    expect(path).not.toMatch(/[\t\r\n\\]/);
    expect(navigatesTo(path).origin).toBe(ORIGIN);
  });

  it.each([
    ["/%09/evil.example/x", "/%09/evil.example/x"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/%5Cevil.example", "/%5Cevil.example"],
    ["http://localhost:3000//evil.example/x", "/evil.example/x"],
  ])("keeps encoded tricks encoded (a path on this origin): %j", (input, expected) => {
    expect(sameOriginPath(input, ORIGIN)).toBe(expected);
    expect(navigatesTo(expected).origin).toBe(ORIGIN);
  });

  it("falls back to the root for missing or unparsable input", () => {
    expect(sameOriginPath(undefined, ORIGIN)).toBe("/");
    expect(sameOriginPath("", ORIGIN)).toBe("/");
    expect(sameOriginPath("http://[", ORIGIN)).toBe("/");
  });
});
