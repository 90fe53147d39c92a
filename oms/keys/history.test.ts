import { describe, expect, it } from "vitest";
import type { ChainKeyEvent } from "./chain-events";
import { notReadyReason } from "./executor";
import { derivedExpiries } from "./history";

const KEY = "0x0000000000000000000000000000000000000001" as `0x${string}`;
const ACTOR = "0x00000000000000000000000000000000000000aa" as `0x${string}`;
const vaultId = "31337:0x00000000000000000000000000000000000000bb";

function event(kind: ChainKeyEvent["kind"], block: bigint, expiry: bigint | null = null): ChainKeyEvent {
  return {
    kind,
    key: kind === "INVALIDATED" ? null : KEY,
    expiry,
    actor: ACTOR,
    txHash: `0x${block.toString(16).padStart(64, "0")}`,
    blockNumber: block,
    logIndex: 0,
  };
}

/** Block n was mined at time n * 100. */
const times = new Map([1n, 2n, 3n, 4n].map((block) => [block, block * 100n]));

describe("derivedExpiries", () => {
  it("derives an expiry once chain time reaches it", () => {
    const grants = [event("GRANTED", 1n, 250n)];
    expect(derivedExpiries(vaultId, grants, times, 249n)).toEqual([]);
    expect(derivedExpiries(vaultId, grants, times, 250n)).toEqual([
      expect.objectContaining({
        type: "EXPIRED",
        session_key_address: KEY,
        created_at: new Date(250_000).toISOString(),
      }),
    ]);
  });

  it("skips a key revoked or invalidated before it expired, but not one revoked after", () => {
    const now = 1_000n;
    expect(derivedExpiries(vaultId, [event("GRANTED", 1n, 250n), event("REVOKED", 2n)], times, now)).toHaveLength(0);
    expect(derivedExpiries(vaultId, [event("GRANTED", 1n, 250n), event("INVALIDATED", 2n)], times, now)).toHaveLength(
      0,
    );
    expect(derivedExpiries(vaultId, [event("GRANTED", 1n, 250n), event("REVOKED", 3n)], times, now)).toHaveLength(1);
  });

  it("counts a re-grant before the expiry as the key's new life", () => {
    const events = [event("GRANTED", 1n, 250n), event("GRANTED", 2n, 450n)];
    expect(derivedExpiries(vaultId, events, times, 1_000n).map((entry) => entry.expires_at)).toEqual([
      new Date(450_000).toISOString(),
    ]);
  });
});

describe("notReadyReason", () => {
  it("maps a never-granted key to NO_KEY and keeps the contract's reasons", () => {
    expect(notReadyReason("NONE")).toBe("NO_KEY");
    expect(notReadyReason("MANAGER_CHANGED")).toBe("MANAGER_CHANGED");
    expect(notReadyReason("EXPIRED")).toBe("EXPIRED");
  });
});
