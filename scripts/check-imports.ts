import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The one import direction (docs/ARCHITECTURE.md, "Layers"). Inside oms/ each folder may import its
 * own layer and the ones before it in this list, never a later one: kernel and domain at the bottom,
 * the API on top. The service roots (oms/*.ts) assemble everything; the runner is a second service
 * and may use only the kernel. lib/, app/ and components/ never import oms/.
 */
export const OMS_LAYERS = ["kernel", "domain", "store", "chain", "engine", "core", "keys", "notify", "api"] as const;

const ROOTS = ["oms", "lib", "app", "components"];
const SOURCE = /\.(ts|tsx)$/;
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g;

export interface SourceFile {
  /** Repository-relative, `/`-separated. */
  path: string;
  text: string;
}

export interface Violation {
  file: string;
  specifier: string;
  reason: string;
}

/** Tests and their helpers wire real pieces together the way a service root does. */
function isTestCode(file: string): boolean {
  return /\.test\.tsx?$/.test(file) || file.includes("/test-support/");
}

/** Where an import lands, repository-relative without extension, or null for packages. */
function resolve(file: string, specifier: string): string | null {
  if (specifier.startsWith("@/")) return path.posix.normalize(specifier.slice(2));
  if (specifier.startsWith(".")) return path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  return null;
}

/** "kernel" … "api", "root" for oms/*.ts, "runner", or null outside oms/. */
function omsPart(modulePath: string): string | null {
  const parts = modulePath.split("/");
  if (parts[0] !== "oms") return null;
  return parts.length === 2 ? "root" : (parts[1] ?? null);
}

function rank(part: string): number {
  return (OMS_LAYERS as readonly string[]).indexOf(part);
}

function reasonFor(from: string, target: string): string | null {
  const source = omsPart(from);
  const destination = omsPart(target);
  if (destination === null) return null;
  if (source === null) return "lib/, app/ and components/ never import oms/: move what both sides need into lib/";
  if (source === "root") return destination === "runner" ? "the OMS does not import the runner" : null;
  if (source === "runner") {
    return destination === "runner" || destination === "kernel" ? null : "the runner builds only on oms/kernel";
  }
  if (destination === "root" || destination === "runner") return `oms/${source} may not import the service roots`;
  const from_ = rank(source);
  const to = rank(destination);
  if (from_ < 0 || to < 0) return `oms/${source === null || from_ < 0 ? source : destination} is not in OMS_LAYERS`;
  return to > from_ ? `oms/${source} may not import oms/${destination} (upward)` : null;
}

export function findViolations(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    if (isTestCode(file.path)) continue;
    for (const match of file.text.matchAll(SPECIFIER)) {
      const specifier = match[1] ?? "";
      const target = resolve(file.path, specifier);
      const reason = target === null ? null : reasonFor(file.path, target);
      if (reason) violations.push({ file: file.path, specifier, reason });
    }
  }
  return violations;
}

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : listSources(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

export function repositorySources(): SourceFile[] {
  return ROOTS.flatMap(listSources).map((file) => ({ path: file, text: readFileSync(file, "utf8") }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const violations = findViolations(repositorySources());
  for (const v of violations) console.error(`${v.file}: import "${v.specifier}": ${v.reason}`);
  if (violations.length > 0) {
    console.error(`\n${violations.length} import(s) break the layering (docs/ARCHITECTURE.md, "Layers")`);
    process.exit(1);
  }
  console.log("imports: ok");
}
