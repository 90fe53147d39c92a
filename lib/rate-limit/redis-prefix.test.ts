import { describe, expect, it } from "vitest";
import { webRedisPrefix } from "./redis-prefix";

describe("WEB_REDIS_PREFIX", () => {
  it("defaults to defix: and takes a deployment's own prefix", () => {
    expect(webRedisPrefix({})).toBe("defix:");
    expect(webRedisPrefix({ WEB_REDIS_PREFIX: "staging:" })).toBe("staging:");
  });

  it("refuses a prefix that could break out of the key space", () => {
    expect(() => webRedisPrefix({ WEB_REDIS_PREFIX: "a b" })).toThrow(/WEB_REDIS_PREFIX/);
    expect(() => webRedisPrefix({ WEB_REDIS_PREFIX: "" })).toThrow(/WEB_REDIS_PREFIX/);
  });
});
