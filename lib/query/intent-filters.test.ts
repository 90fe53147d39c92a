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
  it("filters by approval status, in the URL, the list query and live matching", () => {
    const pending = makeIntent({ approval_status: "pending" });
    expect(normalizeFilters({ approval_status: null })).toEqual({});
    expect(toListParams({ approval_status: "pending" }, now).approval_status).toBe("pending");
    expect(matchesFilters(pending, { approval_status: "pending" }, now)).toBe(true);
    expect(matchesFilters(pending, { approval_status: "approved" }, now)).toBe(false);
  });
  it("passes a custom window to the API as ISO instants, the end exclusive like the OMS", () => {
    const window = { from: "2026-01-01T10:00:00Z", to: "2026-01-01T11:00:00.000Z" };
    expect(toListParams(window, now)).toMatchObject({
      from: "2026-01-01T10:00:00.000Z",
      to: "2026-01-01T11:00:00.000Z",
    });
    const at = (created_at: string) => matchesFilters(makeIntent({ created_at }), window, now);
    expect(at("2026-01-01T10:00:00.000Z")).toBe(true);
    expect(at("2026-01-01T10:59:59.999Z")).toBe(true);
    expect(at("2026-01-01T11:00:00.000Z")).toBe(false);
    expect(at("2026-01-01T09:59:59.999Z")).toBe(false);
    // Only one end set: open on the other side.
    expect(matchesFilters(makeIntent({ created_at: "2030-01-01T00:00:00.000Z" }), { from: window.from }, now)).toBe(
      true,
    );
  });
  it("lets a preset win over a custom window and drops dates that do not parse", () => {
    expect(normalizeFilters({ range: "24h", from: "2026-01-01T10:00:00Z" })).toEqual({ range: "24h" });
    expect(toListParams({ range: "1h", to: "2026-01-01T11:00:00Z" }, now).to).toBeUndefined();
    expect(normalizeFilters({ from: "yesterday-ish", to: "2026-01-02" })).toEqual({ to: "2026-01-02T00:00:00.000Z" });
    expect(toListParams({ from: "not a date" }, now).from).toBeUndefined();
  });
});
