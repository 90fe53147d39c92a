import { describe, expect, it } from "vitest";
import { formatGwei, formatTokenAmount, formatTokenAmountExact, formatTokenLabel } from "./amount";
import { durationBetween, formatDuration, median } from "./duration";
import { shortHex } from "./hex";
import { formatClock, formatExact, formatRelative } from "./time";
import { explorerTxUrl, lookupToken, tokenBook, vaultName } from "./tokens";

describe("formatTokenAmount", () => {
  it("applies decimals, groups thousands and trims zeros", () => {
    expect(formatTokenAmount("1234567890000", 6)).toBe("1,234,567.89");
    expect(formatTokenAmount("1000000", 6)).toBe("1");
    expect(formatTokenAmount("0", 6)).toBe("0");
  });
  it("truncates extra fraction digits instead of rounding up", () => {
    expect(formatTokenAmount("1999999", 6, 2)).toBe("1.99");
  });
  it("says '<0.0001' instead of 0 for dust", () => {
    expect(formatTokenAmount("1", 6)).toBe("<0.0001");
  });
  it("handles values beyond 2^53 exactly", () => {
    expect(formatTokenAmount("123456789012345678901234567890", 18)).toBe("123,456,789,012.3456");
    expect(formatTokenAmountExact("123456789012345678901234567890", 18)).toBe("123456789012.34567890123456789");
  });
  it("labels with the symbol and refuses to invent a value for a missing receipt", () => {
    const dusd = { address: "0xa", symbol: "dUSD", decimals: 6 };
    expect(formatTokenLabel("2500000", dusd)).toBe("2.5 dUSD");
    expect(formatTokenLabel(null, dusd)).toBeNull();
    expect(formatTokenLabel("7", null)).toBe("7 (base units)");
  });
  it("shows fees in gwei", () => {
    expect(formatGwei("1500000000")).toBe("1.5 gwei");
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 ms"],
    [850, "850 ms"],
    [4230, "4.2 s"],
    [42_000, "42 s"],
    [192_000, "3 m 12 s"],
    [180_000, "3 m"],
    [7_500_000, "2 h 5 m"],
    [273_600_000, "3 d 4 h"],
    [-20, "0 ms"],
  ])("%d ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
  it("measures between timestamps and until now", () => {
    expect(durationBetween("2026-01-01T00:00:00Z", "2026-01-01T00:00:02.5Z")).toBe(2500);
    expect(durationBetween("2026-01-01T00:00:00Z", null, Date.parse("2026-01-01T00:01:00Z"))).toBe(60_000);
  });
  it("takes medians of odd, even and empty lists", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe("time", () => {
  const now = Date.parse("2026-11-22T12:00:00Z");
  it("formats relative times with the largest fitting unit", () => {
    expect(formatRelative("2026-11-22T11:59:58Z", now)).toBe("just now");
    expect(formatRelative("2026-11-22T11:59:30Z", now)).toBe("30s ago");
    expect(formatRelative("2026-11-22T11:57:00Z", now)).toBe("3m ago");
    expect(formatRelative("2026-11-22T09:00:00Z", now)).toBe("3h ago");
    expect(formatRelative("2026-11-20T12:00:00Z", now)).toBe("2d ago");
    expect(formatRelative("2026-11-22T12:10:00Z", now)).toBe("in 10m");
  });
  it("reads a server time slightly ahead of the browser's clock as just now, never as the future", () => {
    expect(formatRelative("2026-11-22T12:00:01Z", now)).toBe("just now");
    expect(formatRelative("2026-11-22T12:00:04.500Z", now)).toBe("just now");
    expect(formatRelative("2026-11-22T12:00:20Z", now)).toBe("just now");
    expect(formatRelative("2026-11-22T12:00:45Z", now)).toBe("in 45s");
    expect(formatRelative("2026-11-25T12:00:00Z", now)).toBe("in 3d");
  });
  it("formats exact times in UTC regardless of the machine's zone", () => {
    expect(formatExact("2026-11-22T13:04:05.678+01:00")).toBe("2026-11-22 12:04:05.678 UTC");
    expect(formatClock("2026-11-22T13:04:05.678+01:00")).toBe("12:04:05");
    expect(formatExact("not a date")).toBe("not a date");
  });
});

describe("hex and tokens", () => {
  it("shortens hashes but leaves short strings alone", () => {
    expect(shortHex(`0x${"ab".repeat(32)}`)).toBe("0xababab…abab");
    expect(shortHex("0x1234")).toBe("0x1234");
  });
  const context = {
    chainId: 31337,
    explorerUrl: "https://explorer.example/",
    asset: { address: "0xAA", symbol: "dUSD", decimals: 6 },
    tokens: [
      { address: "0xAA", symbol: "dUSD", decimals: 6 },
      { address: "0xbb", symbol: "ysA", decimals: 6 },
    ],
    vaults: [{ vaultId: "31337:0xcc", address: "0xcc", name: "Alpha Vault", symbol: "svA" }],
  };
  it("looks tokens up case-insensitively and names vaults", () => {
    const book = tokenBook(context);
    expect(lookupToken(book, "0xaa")?.symbol).toBe("dUSD");
    expect(lookupToken(book, "0xBB")?.symbol).toBe("ysA");
    expect(lookupToken(book, "0xdd")).toBeNull();
    expect(lookupToken(book, null)).toBeNull();
    expect(vaultName(context, "31337:0xCC")).toBe("Alpha Vault");
    expect(vaultName(context, "1:0xee")).toBe("1:0xee");
  });
  it("links to the explorer only when one is configured", () => {
    expect(explorerTxUrl(context, "0x01")).toBe("https://explorer.example/tx/0x01");
    expect(explorerTxUrl({ ...context, explorerUrl: null }, "0x01")).toBeNull();
  });
});
