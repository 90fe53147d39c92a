import { describe, expect, it } from "vitest";
import { abiExportName, renderAbisModule } from "./build";
import { compileSources } from "./compile";
import * as committed from "./generated/abis";

describe("contracts build", () => {
  it("keeps the committed generated/abis.ts equal to a fresh compile of contracts/src", { timeout: 120_000 }, () => {
    const fresh = compileSources();
    const expected = Object.fromEntries(
      Object.entries(fresh).map(([name, artifact]) => [abiExportName(name), artifact.abi]),
    );
    // A mismatch means contracts/src changed without `npx tsx contracts/build.ts` being rerun and committed.
    expect({ ...committed }).toEqual(expected);
  });

  it("names exports after the contract in camel case", () => {
    expect(abiExportName("SuperVault")).toBe("superVaultAbi");
    expect(abiExportName("Deposit4626Hook")).toBe("deposit4626HookAbi");
    expect(renderAbisModule({ DevAsset: { abi: [], bytecode: "0x" } })).toContain(
      "export const devAssetAbi = [] as const;",
    );
  });
});
