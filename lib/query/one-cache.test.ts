import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { queryKeys } from "./keys";
import { readinessOptions } from "./session-keys";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The console's browser code: every .ts/.tsx under app/, components/ and lib/, tests left out. */
function sources(): { file: string; text: string }[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) files.push(full);
    }
  };
  for (const dir of ["app", "components", "lib"]) walk(path.join(ROOT, dir));
  return files.map((file) => ({ file: path.relative(ROOT, file), text: readFileSync(file, "utf8") }));
}

describe("one React Query cache for the whole console", () => {
  it("creates its QueryClient in one place (two clients are two truths on one screen)", () => {
    const creators = sources().filter(({ text }) => /new QueryClient\(/.test(text));
    expect(creators.map(({ file }) => file)).toEqual(["lib/query/provider.tsx"]);
  });

  it("takes every query key from lib/query/keys.ts", () => {
    const inline = sources().filter(
      ({ file, text }) => file !== "lib/query/keys.ts" && /queryKey:\s*\[|\["vaults",|\["intents",/.test(text),
    );
    expect(inline.map(({ file }) => file)).toEqual([]);
  });

  it("defines readiness once, polling faster while the signing popover is open", () => {
    const vaultId = "31337:0x00000000000000000000000000000000000000aa";
    const idle = readinessOptions(vaultId);
    const signing = readinessOptions(vaultId, { isSigningOpen: true });
    expect(idle.queryKey).toEqual(queryKeys.vaults.readiness(vaultId));
    expect(signing.queryKey).toEqual(idle.queryKey);
    expect(idle).toMatchObject({ refetchInterval: 45_000, staleTime: 25_000 });
    expect(signing).toMatchObject({ refetchInterval: 20_000 });
    // Every per-vault key sits under the vault's prefix, so one invalidation refreshes a whole canvas.
    for (const key of [
      idle.queryKey,
      queryKeys.vaults.strategies(vaultId),
      queryKeys.vaults.sessionKeyHistory(vaultId),
    ])
      expect(key.slice(0, 2)).toEqual(queryKeys.vaults.one(vaultId));
  });
});
