import { describe, expect, it } from "vitest";
import type { Readiness } from "@/lib/defix/session-keys";
import { gateStateFor, isExpiringSoon } from "./gate-state";

const base: Readiness = {
  vault_id: "31337:0x0000000000000000000000000000000000000001",
  is_ready: false,
  session_key_address: null,
  expires_at: null,
  pending_rotation: false,
  reason: "NO_KEY",
  pending_session_key_address: null,
  checked_at: "2026-01-01T00:00:00.000Z",
};

describe("gateStateFor", () => {
  it("lets the canvas through when the key is ready", () => {
    expect(gateStateFor({ ...base, is_ready: true, reason: null }).isBlocked).toBe(false);
  });

  it("asks an EIP7702 vault's manager to delegate the strategy EOA before any grant", () => {
    expect(gateStateFor({ ...base, reason: "DELEGATION_MISSING" })).toMatchObject({
      isBlocked: true,
      title: "The strategy EOA is not delegated",
      action: "delegate",
    });
  });

  it.each([
    ["NO_KEY", "No session key yet"],
    ["EXPIRED", "The session key expired"],
    ["REVOKED", "The session key was revoked"],
    ["GENERATION_CHANGED", "Session keys were invalidated"],
    ["MANAGER_CHANGED", "The primary manager changed"],
    ["KEY_NOT_HELD", "The OMS cannot sign with this key"],
  ] as const)("blocks with a grant action when the reason is %s", (reason, title) => {
    expect(gateStateFor({ ...base, reason })).toMatchObject({ isBlocked: true, title, action: "grant" });
  });

  it("offers to finish or cancel a pending rotation", () => {
    expect(gateStateFor({ ...base, pending_rotation: true, reason: "EXPIRED" }).action).toBe("rotation");
  });

  it("offers a rotation, which forwards new gas money, when the key is out of gas", () => {
    const state = gateStateFor({ ...base, reason: "INSUFFICIENT_GAS", balance_wei: "1000" });
    expect(state).toMatchObject({ isBlocked: true, title: "The session key is out of gas money", action: "rotate" });
    expect(state.detail).toMatch(/Rotate the key: the rotation forwards new gas money/);
  });

  it("offers a retry when the chain is unreachable", () => {
    expect(gateStateFor({ ...base, reason: "CHAIN_UNAVAILABLE" }).action).toBe("retry");
    expect(gateStateFor({ ...base, reason: "PAUSED" })).toMatchObject({ title: /PAUSED/, action: "unpause" });
  });
});

describe("isExpiringSoon", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("warns within six hours of expiry only, so a fresh 24 h key does not warn", () => {
    const ready = { ...base, is_ready: true, reason: null };
    expect(isExpiringSoon({ ...ready, expires_at: "2026-01-01T05:00:00.000Z" }, now)).toBe(true);
    expect(isExpiringSoon({ ...ready, expires_at: "2026-01-01T07:00:00.000Z" }, now)).toBe(false);
    expect(isExpiringSoon({ ...ready, expires_at: "2026-01-01T23:59:00.000Z" }, now)).toBe(false);
    expect(isExpiringSoon({ ...base, expires_at: "2026-01-01T01:00:00.000Z" }, now)).toBe(false);
  });
});
