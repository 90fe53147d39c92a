import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createFileOnce } from "./create-once";

const run = promisify(execFile);
const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "create-once-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("createFileOnce", () => {
  it("creates the file with its mode, and never replaces one that exists", () => {
    const file = path.join(scratch(), "key");
    expect(createFileOnce(file, "first", 0o600)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(createFileOnce(file, "second", 0o600)).toBe(false);
    expect(readFileSync(file, "utf8")).toBe("first");
    expect(readdirSync(path.dirname(file))).toEqual(["key"]);
  });

  it("lets exactly one of several processes starting at once create it; every one reads the same complete key", async () => {
    const dir = scratch();
    const file = path.join(dir, "key");
    const script = path.join(dir, "race.ts");
    writeFileSync(
      script,
      `import { readFileSync } from "node:fs";
import { createFileOnce } from ${JSON.stringify(path.resolve("oms/kernel/create-once.ts"))};
const mine = "key-" + process.pid + "-".repeat(4096);
const created = createFileOnce(${JSON.stringify(file)}, mine, 0o600);
console.log(JSON.stringify({ created, mine: readFileSync(${JSON.stringify(file)}, "utf8") === mine, length: readFileSync(${JSON.stringify(file)}, "utf8").length }));`,
    );
    const tsx = path.resolve("node_modules/.bin/tsx");
    const results = await Promise.all(
      Array.from(
        { length: 6 },
        async () => JSON.parse((await run(tsx, [script])).stdout.trim()) as Record<string, unknown>,
      ),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(results.filter((result) => result.mine)).toHaveLength(1);
    expect(new Set(results.map((result) => result.length))).toEqual(new Set([readFileSync(file, "utf8").length]));
    expect(readdirSync(dir).sort()).toEqual(["key", "race.ts"]);
  }, 60_000); // six tsx processes: seconds on a busy machine
});
