import { describe, expect, it } from "vitest";
import { parseViewOnly, ViewOnlyEnv } from "./view-only";

const VIEWER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const VAULT_A = "31337:0x000000000000000000000000000000000000000A";
const VAULT_B = "31337:0x000000000000000000000000000000000000000b";

describe("VIEW_ONLY", () => {
  it("maps each lowercased address to its lowercased vault ids, merging repeated addresses", () => {
    const { grants, rejected } = parseViewOnly(` ${VIEWER}=${VAULT_A} ; ${VIEWER.toLowerCase()}= ${VAULT_B};`);
    expect(rejected).toEqual([]);
    expect(grants.get(VIEWER.toLowerCase())).toEqual([VAULT_A.toLowerCase(), VAULT_B]);
  });

  it("rejects a malformed entry instead of granting part of it", () => {
    const { grants, rejected } = parseViewOnly(`${VIEWER}=${VAULT_A},not-a-vault;0x12=${VAULT_B}`);
    expect(grants.size).toBe(0);
    expect(rejected).toEqual([`${VIEWER}=${VAULT_A},not-a-vault`, `0x12=${VAULT_B}`]);
  });

  it("fails env validation on a malformed entry, naming it", () => {
    const parsed = ViewOnlyEnv.safeParse(`${VIEWER}=vault-a`);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain(`${VIEWER}=vault-a`);
  });
});
