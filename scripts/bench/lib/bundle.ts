import { spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "./children";

/**
 * `oms/server.ts` bundled into one ESM file under .data/ (git-ignored). A tsx start reads hundreds of
 * files through the loader and takes ~9 s on this machine; the bundle boots in ~1.6 s, which is what
 * makes hundreds of kill/restart cycles fit in minutes. Same source, only the native driver external.
 * esbuild comes with tsx; it is run through its binary so no new dependency is needed.
 */
export function buildOmsBundle(): string {
  const outfile = path.join(ROOT, ".data", "bench", "oms-bundle", "server.mjs");
  const result = spawnSync(
    path.join(ROOT, "node_modules", ".bin", "esbuild"),
    [
      path.join(ROOT, "oms", "server.ts"),
      "--bundle",
      "--platform=node",
      "--format=esm",
      "--external:better-sqlite3",
      "--external:pg-native",
      "--log-level=warning",
      // Bundled CommonJS dependencies still call require(); ESM output has none of its own.
      "--banner:js=import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      `--outfile=${outfile}`,
    ],
    { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] },
  );
  if (result.status !== 0) throw new Error(`esbuild failed to bundle oms/server.ts (exit ${result.status})`);
  return path.relative(ROOT, outfile);
}
