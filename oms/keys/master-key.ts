import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
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

/**
 * The master key that seals session keys at rest: `SESSION_KEY_ENCRYPTION_KEY` when configured,
 * otherwise a dev key generated once into the data dir. The warning names the file, never the key.
 */
export function resolveMasterKey(options: {
  configuredHex: string | undefined;
  dataDir: string;
  logger: MasterKeyLogger;
}): Buffer {
  if (options.configuredHex) return parseHexKey(options.configuredHex, "SESSION_KEY_ENCRYPTION_KEY");
  const file = path.join(options.dataDir, MASTER_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(options.dataDir, { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    options.logger.warn(
      `SESSION_KEY_ENCRYPTION_KEY is not set: generated a development master key at ${file}. Set SESSION_KEY_ENCRYPTION_KEY in production.`,
    );
  } else {
    options.logger.warn(`SESSION_KEY_ENCRYPTION_KEY is not set: using the development master key at ${file}.`);
  }
  return parseHexKey(readFileSync(file, "utf8"), file);
}
