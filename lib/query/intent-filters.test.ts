import { describe, expect, it } from "vitest";
import { makeIntent } from "@/components/intents/model/fixtures";
import { hasActiveFilters, matchesFilters, normalizeFilters, toListParams } from "./intent-filters";

const now = Date.parse("2026-01-01T12:00:00.000Z");

describe("intent filters", () => {
  it("normalizes empty values away so equal views share a cache entry", () => {
    expect(normalizeFilters({ state: [], q: "  ", vault_id: null })).toEqual({});
    expect(normalizeFilters({ state: ["FAILED", "ACKED"] })).toEqual({ state: ["ACKED", "FAILED"] });
    expect(hasActiveFilters({ q: " " })).toBe(false);
  });
  it("turns a time range into an absolute `from`", () => {
    expect(toListParams({ range: "1h" }, now).from).toBe("2026-01-01T11:00:00.000Z");
  });
  it("matches intents like the OMS list does", () => {
    const intent = makeIntent({ created_at: "2026-01-01T11:30:00.000Z", state: "FAILED" });
    expect(matchesFilters(intent, { range: "1h", state: ["FAILED"] }, now)).toBe(true);
    expect(matchesFilters(intent, { range: "1h" }, now + 3_600_000)).toBe(false);
    expect(matchesFilters(intent, { action: "WITHDRAWAL" }, now)).toBe(false);
    expect(matchesFilters(intent, { q: intent.id.slice(0, 8).toUpperCase() }, now)).toBe(true);
    expect(matchesFilters(intent, { vault_id: intent.vault_id.toUpperCase() }, now)).toBe(true);
  });
});
