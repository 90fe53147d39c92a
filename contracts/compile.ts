import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Abi } from "viem";

/** Compiles contracts/src with the bundled solc-js; pure function of the sources (no file writes). */

const require = createRequire(import.meta.url);

export const CONTRACTS_DIR = import.meta.dirname;
export const SRC_DIR = path.join(CONTRACTS_DIR, "src");
const NODE_MODULES = path.resolve(CONTRACTS_DIR, "..", "node_modules");

/** Optimizer on, default evmVersion (accepted by anvil). Part of the build hash. */
export const SOLC_SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
} as const;

export interface Artifact {
  abi: Abi;
  bytecode: `0x${string}`;
}

interface SolcApi {
  compile(
    input: string,
    callbacks: { import: (importPath: string) => { contents: string } | { error: string } },
  ): string;
}

interface SolcError {
  severity: "error" | "warning" | "info";
  formattedMessage: string;
  sourceLocation?: { file: string };
}

interface SolcOutput {
  errors?: SolcError[];
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
}

function loadSolc(): SolcApi {
  return require("solc") as SolcApi;
}

/** Source unit names relative to contracts/ (e.g. `src/SuperVault.sol`), sorted for a stable input. */
export function listSources(dir = SRC_DIR): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listSources(full));
    else if (entry.name.endsWith(".sol")) found.push(path.relative(CONTRACTS_DIR, full).split(path.sep).join("/"));
  }
  return found.sort();
}

export function readSources(): Record<string, string> {
  return Object.fromEntries(listSources().map((unit) => [unit, readFileSync(path.join(CONTRACTS_DIR, unit), "utf8")]));
}

/** Packages whose Solidity sources contracts/src may import from node_modules. */
export const SOLIDITY_PACKAGES = ["@openzeppelin/contracts", "@account-abstraction/contracts"] as const;

/** Resolves package imports from node_modules; everything else must be in contracts/src. */
function resolveImport(importPath: string): { contents: string } | { error: string } {
  if (!SOLIDITY_PACKAGES.some((pkg) => importPath.startsWith(`${pkg}/`)))
    return { error: `unresolvable import ${importPath}` };
  const file = path.join(NODE_MODULES, importPath);
  if (!existsSync(file)) return { error: `not found in node_modules: ${importPath}` };
  return { contents: readFileSync(file, "utf8") };
}

/**
 * Deployable contracts (those with bytecode) declared in contracts/src, by contract name.
 * Throws with solc's messages on any compile error.
 */
export function compileSources(sources: Record<string, string> = readSources()): Record<string, Artifact> {
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(Object.entries(sources).map(([unit, content]) => [unit, { content }])),
    settings: SOLC_SETTINGS,
  };
  const output = JSON.parse(loadSolc().compile(JSON.stringify(input), { import: resolveImport })) as SolcOutput;
  const errors = (output.errors ?? []).filter((error) => error.severity === "error");
  if (errors.length > 0) throw new Error(`solc failed:\n${errors.map((error) => error.formattedMessage).join("\n")}`);
  // Our own sources must compile cleanly; OpenZeppelin's warnings are not ours to fix.
  const ownWarnings = (output.errors ?? []).filter((error) => error.sourceLocation?.file.startsWith("src/"));
  for (const warning of ownWarnings) console.warn(warning.formattedMessage);
  const artifacts: Record<string, Artifact> = {};
  for (const [unit, contracts] of Object.entries(output.contracts ?? {})) {
    if (!unit.startsWith("src/")) continue;
    for (const [name, contract] of Object.entries(contracts)) {
      if (contract.evm.bytecode.object === "") continue;
      if (artifacts[name]) throw new Error(`duplicate contract name ${name}`);
      artifacts[name] = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
    }
  }
  return Object.fromEntries(Object.entries(artifacts).sort(([a], [b]) => a.localeCompare(b)));
}
