import { describe, expect, it } from "vitest";
import { BffError } from "./errors";
import { omsPath, toSearchParams, upstreamUrl } from "./path";

const refused = (fn: () => unknown): void => {
  expect(fn).toThrow(BffError);
};

describe("omsPath", () => {
  it("joins literal and validated segments, encoding the vault id's colon", () => {
    expect(omsPath(["defix", "vaults", "31337:0xabc", "session-key", "readiness"])).toBe(
      "/defix/vaults/31337%3A0xabc/session-key/readiness",
    );
  });

  it.each([
    [".."],
    ["."],
    [""],
    ["a/b"],
    ["..%2F..%2Fadmin"],
    ["%2e%2e"],
    ["a\\b"],
    ["http://evil.example"],
    ["x?y=1"],
    ["x#frag"],
  ])("refuses the segment %j", (segment) => {
    refused(() => omsPath(["defix", "intents", segment]));
  });

  it("refuses paths outside /defix", () => {
    refused(() => omsPath(["admin"]));
  });
});

describe("upstreamUrl", () => {
  it("stays on the configured origin and under /defix/", () => {
    expect(upstreamUrl("http://127.0.0.1:8787", "/defix/intents").href).toBe("http://127.0.0.1:8787/defix/intents");
    refused(() => upstreamUrl("http://127.0.0.1:8787", "//evil.example/defix/x"));
    refused(() => upstreamUrl("http://127.0.0.1:8787", "/openapi.json"));
  });
});

describe("toSearchParams", () => {
  it("repeats array values and drops undefined ones", () => {
    expect(toSearchParams({ state: ["ACKED", "PLANNED"], limit: 50, q: undefined }).toString()).toBe(
      "state=ACKED&state=PLANNED&limit=50",
    );
  });
});
