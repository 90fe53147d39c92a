import { parseArgs } from "node:util";
import { formatUnits } from "viem";
import type { DeploymentManifest } from "../../lib/deployment/manifest";
import { deployWorld } from "./world";
import { ASSET, VAULTS } from "./world-config";

/** `npx tsx scripts/deploy/cli.ts --rpc <url> --data-dir .data`: deploy the dev world and print a summary. */

export function formatSummary(manifest: DeploymentManifest): string {
  const name = (address: string): string =>
    manifest.accounts.find((account) => account.address === address)?.label ?? address;
  const lines = [
    `Deployed on chain ${manifest.chain_id} (${manifest.rpc_url})`,
    `  asset     ${manifest.contracts.asset.symbol} ${manifest.contracts.asset.address}`,
    `  registry  ${manifest.contracts.registry}`,
    `  executor  ${manifest.contracts.executor}`,
    ...manifest.contracts.yield_sources.map((source) => `  source    ${source.symbol.padEnd(9)} ${source.address}`),
    "Vaults:",
    ...manifest.vaults.map((vault, index) => {
      const seeded = formatUnits(VAULTS[index]?.userDeposit ?? 0n, ASSET.decimals);
      const secondaries = vault.secondary_managers.map(name).join(", ") || "none";
      return `  ${vault.symbol.padEnd(8)} ${vault.address}  primary ${name(vault.primary_manager)}, secondary ${secondaries}, ${seeded} ${ASSET.symbol} deposited, ${vault.merkle.hooks.length} hooks`;
    }),
    "Accounts:",
    ...manifest.accounts.map((account) => `  #${account.index} ${account.address} ${account.label}`),
  ];
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rpc: { type: "string" }, "data-dir": { type: "string" } } });
  const rpcUrl = values.rpc ?? process.env.RPC_URL ?? `http://127.0.0.1:${process.env.CHAIN_PORT ?? "8545"}`;
  const dataDir = values["data-dir"] ?? process.env.DATA_DIR ?? ".data";
  const started = Date.now();
  const manifest = await deployWorld({ rpcUrl, dataDir });
  console.log(formatSummary(manifest));
  console.log(`Manifest written to ${dataDir}/deployment.json in ${Date.now() - started} ms`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
