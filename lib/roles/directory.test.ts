import { describe, expect, it } from "vitest";
import { DomainError } from "../defix/domain-error";
import type { DeploymentManifest } from "../deployment/manifest";
import { type ChainRoleDirectoryOptions, createChainRoleDirectory } from "./directory";

const VAULT = "0x000000000000000000000000000000000000000a";
const PRIMARY = "0x00000000000000000000000000000000000000a1";
const SECONDARY = "0x00000000000000000000000000000000000000b2";
const VIEWER = "0x00000000000000000000000000000000000000c3";
const manifest = {
  chain_id: 31337,
  contracts: { registry: "0x00000000000000000000000000000000000000ee" },
  vaults: [{ vault_id: `31337:${VAULT}`, address: VAULT, name: "A", symbol: "A" }],
} as unknown as Pick<DeploymentManifest, "chain_id" | "vaults" | "contracts">;

function fakeChain() {
  const state = { reads: 0, isDown: false, secondaries: [SECONDARY] };
  const client: ChainRoleDirectoryOptions["client"] = {
    readContract: (async ({ functionName }: { functionName: string }) => {
      state.reads += 1;
      if (state.isDown) throw new Error("ECONNREFUSED");
      return functionName === "primaryManager" ? PRIMARY.toUpperCase().replace("0X", "0x") : state.secondaries;
    }) as unknown as ChainRoleDirectoryOptions["client"]["readContract"],
  };
  return { client, state };
}

describe("chain role directory", () => {
  it("resolves primary, secondary and VIEW_ONLY roles, case-insensitively", async () => {
    const { client } = fakeChain();
    const directory = createChainRoleDirectory({
      client,
      manifest,
      viewOnly: new Map([[VIEWER, [`31337:${VAULT}`]]]),
      cacheMs: 1_000,
    });
    expect((await directory.rolesFor(PRIMARY)).get(`31337:${VAULT}`)).toBe("PRIMARY_MANAGER");
    expect((await directory.rolesFor(SECONDARY.toUpperCase().replace("0X", "0x"))).get(`31337:${VAULT}`)).toBe(
      "SECONDARY_MANAGER",
    );
    expect((await directory.rolesFor(VIEWER)).get(`31337:${VAULT}`)).toBe("VIEW_ONLY");
    expect((await directory.rolesFor("0x0000000000000000000000000000000000000001")).size).toBe(0);
    expect(directory.vault(`31337:${VAULT.toUpperCase().replace("0X", "0x")}`)?.name).toBe("A");
  });

  it("caches reads for the window, shares one in-flight read, and reads again after it", async () => {
    const { client, state } = fakeChain();
    let now = 0;
    const directory = createChainRoleDirectory({
      client,
      manifest,
      viewOnly: new Map(),
      cacheMs: 3_000,
      now: () => now,
    });
    await Promise.all([
      directory.rolesFor(PRIMARY),
      directory.rolesFor(SECONDARY),
      directory.managers(`31337:${VAULT}`),
    ]);
    expect(state.reads).toBe(2);
    now = 2_000;
    await directory.rolesFor(PRIMARY);
    expect(state.reads).toBe(2);
    now = 5_001;
    await directory.rolesFor(PRIMARY);
    expect(state.reads).toBe(4);
  });

  it("a removed manager keeps no role past the window, although each role map is built once per window", async () => {
    const { client, state } = fakeChain();
    let now = 0;
    const directory = createChainRoleDirectory({
      client,
      manifest,
      viewOnly: new Map(),
      cacheMs: 3_000,
      now: () => now,
    });
    expect((await directory.rolesFor(SECONDARY)).get(`31337:${VAULT}`)).toBe("SECONDARY_MANAGER");
    expect(await directory.rolesFor(SECONDARY)).toBe(await directory.rolesFor(SECONDARY));
    state.secondaries = [];
    now = 3_001;
    expect((await directory.rolesFor(SECONDARY)).size).toBe(0);
  });

  it("an unreachable chain is 503 CHAIN_UNAVAILABLE, and the next call tries again", async () => {
    const { client, state } = fakeChain();
    const directory = createChainRoleDirectory({ client, manifest, viewOnly: new Map(), cacheMs: 60_000 });
    state.isDown = true;
    const error = await directory.rolesFor(PRIMARY).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).status).toBe(503);
    expect((error as DomainError).code).toBe("CHAIN_UNAVAILABLE");
    state.isDown = false;
    expect((await directory.rolesFor(PRIMARY)).size).toBe(1);
  });
});
