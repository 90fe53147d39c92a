import { readFileSync } from "node:fs";
import path from "node:path";
import type { Artifact } from "./compile";

/** Bytecode and ABI of a compiled contract from contracts/out (run the build first). */
export function loadArtifact(name: string): Artifact {
  const file = path.join(import.meta.dirname, "out", `${name}.json`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Artifact;
  } catch (error) {
    throw new Error(`missing artifact ${name}: run \`npx tsx contracts/build.ts\``, { cause: error });
  }
}
