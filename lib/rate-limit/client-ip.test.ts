import { describe, expect, it } from "vitest";
import { clientIp } from "./client-ip";

const headers = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });

describe("clientIp", () => {
  it("ignores x-forwarded-for unless TRUST_PROXY says a proxy of ours writes it", () => {
    expect(clientIp(headers("203.0.113.9"), {})).toBe("untrusted");
    expect(clientIp(headers("203.0.113.9"), { TRUST_PROXY: "0" })).toBe("untrusted");
  });

  it("takes the entry our proxy appended, not what the client claimed before it", () => {
    expect(clientIp(headers("6.6.6.6, 203.0.113.9"), { TRUST_PROXY: "1" })).toBe("203.0.113.9");
    expect(clientIp(headers("6.6.6.6, 203.0.113.9, 10.0.0.2"), { TRUST_PROXY: "2" })).toBe("203.0.113.9");
    expect(clientIp(headers("203.0.113.9"), { TRUST_PROXY: "true" })).toBe("203.0.113.9");
  });

  it("normalizes IPv4-mapped IPv6 and buckets junk together", () => {
    expect(clientIp(headers("::ffff:203.0.113.9"), { TRUST_PROXY: "1" })).toBe("203.0.113.9");
    expect(clientIp(headers("<script>"), { TRUST_PROXY: "1" })).toBe("invalid");
    expect(clientIp(headers(), { TRUST_PROXY: "1" })).toBe("untrusted");
  });

  it("counts an IPv6 client by its /64", () => {
    const ip = (value: string) => clientIp(headers(value), { TRUST_PROXY: "1" });
    expect(ip("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(ip("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(ip("::1")).toBe("0:0:0:0::/64");
    expect(ip("1:2:3:4:5:6:7:8:9")).toBe("invalid");
  });
});
