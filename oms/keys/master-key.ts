import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { createFileOnce } from "../kernel/create-once";
import { assertMasterKey } from "./crypto";

export interface MasterKeyLogger {
  warn(message: string): void;
}

function parseHexKey(value: string, source: string): Buffer {
  const hex = value.trim().replace(/^0x/, "");
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error(`${source} must be 32 bytes as 64 hex characters`);
  const key = Buffer.from(hex, "hex");
  assertMasterKey(key);
  return key;
}

export const MASTER_KEY_FILE = "session-key-master.key";

/** Group and other permission bits: a key file with any of them set is readable (or replaceable) by others. */
const SHARED_BITS = 0o077;

/**
 * Refuses a key file others can read, as ssh and PostgreSQL do, rather than quietly tightening it: a
 * file that was readable may already have been copied, so an operator should know and rotate. (POSIX
 * modes only; Windows has none to check.)
 */
function readPrivateKeyFile(file: string, source: string): Buffer {
  if (!existsSync(file)) throw new Error(`${source}: ${file} does not exist`);
  const mode = statSync(file).mode & 0o777;
  if (process.platform !== "win32" && (mode & SHARED_BITS) !== 0) {
    throw new Error(
      `${source}: ${file} is accessible to group or others (mode ${mode.toString(8).padStart(3, "0")}); ` +
        `it seals every session key: run chmod 600 ${file} (and consider rotating the keys it sealed)`,
    );
  }
  return parseHexKey(readFileSync(file, "utf8"), source);
}

const isInside = (file: string, dir: string) => {
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
};

/** Loud on purpose: a dev key next to the database means a copy of the data dir can open every session key. */
export function devKeyBanner(file: string, isNew: boolean): string {
  const rule = "!".repeat(78);
  return [
    rule,
    `!! DEVELOPMENT MASTER KEY ${isNew ? "GENERATED" : "IN USE"}: ${file}`,
    "!! It seals every session key in this OMS's database and sits in the same data dir, so any backup",
    "!! or copy of that dir can decrypt every key. Never run a shared or production OMS like this:",
    "!! set SESSION_KEY_ENCRYPTION_KEY (from a secret store) or SESSION_KEY_ENCRYPTION_KEY_FILE (a file",
    "!! outside DATA_DIR, mode 0600) and move the existing keys by keeping this key's value.",
    rule,
  ].join("\n");
}

/**
 * The master key that seals session keys at rest, from (in order) `SESSION_KEY_ENCRYPTION_KEY`,
 * `SESSION_KEY_ENCRYPTION_KEY_FILE` (outside the data dir, mode 0600), or a dev key generated once into
 * the data dir with a banner. Messages name files, never the key.
 */
export function resolveMasterKey(options: {
  configuredHex: string | undefined;
  configuredFile?: string | undefined;
  dataDir: string;
  logger: MasterKeyLogger;
}): Buffer {
  if (options.configuredHex && options.configuredFile) {
    throw new Error("set SESSION_KEY_ENCRYPTION_KEY or SESSION_KEY_ENCRYPTION_KEY_FILE, not both");
  }
  if (options.configuredHex) return parseHexKey(options.configuredHex, "SESSION_KEY_ENCRYPTION_KEY");
  if (options.configuredFile) {
    if (isInside(options.configuredFile, options.dataDir)) {
      throw new Error(
        `SESSION_KEY_ENCRYPTION_KEY_FILE ${options.configuredFile} is inside DATA_DIR ${options.dataDir}: a backup of the data dir would hold the key next to the keys it seals; keep it elsewhere (e.g. /run/secrets)`,
      );
    }
    return readPrivateKeyFile(options.configuredFile, "SESSION_KEY_ENCRYPTION_KEY_FILE");
  }
  const file = path.join(options.dataDir, MASTER_KEY_FILE);
  let isNew = false;
  if (!existsSync(file)) {
    mkdirSync(options.dataDir, { recursive: true });
    // Several OMS processes may start at once on one data dir: one key is made, every process reads it.
    isNew = createFileOnce(file, `${randomBytes(32).toString("hex")}\n`, 0o600);
  }
  options.logger.warn(devKeyBanner(file, isNew));
  return readPrivateKeyFile(file, file);
}
