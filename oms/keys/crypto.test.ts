import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generatePrivateKey, privateKeyToAddress } from "viem/accounts";
import { afterEach, describe, expect, it } from "vitest";
import { decryptPrivateKey, encryptPrivateKey, KeyStoreDecryptionError } from "./crypto";
import { resolveMasterKey } from "./master-key";

const vaultId = "31337:0x00000000000000000000000000000000000000aa";
const masterKey = Buffer.alloc(32, 7);

describe("session key encryption", () => {
  const privateKey = generatePrivateKey();
  const address = privateKeyToAddress(privateKey).toLowerCase();

  it("round-trips and never stores the plaintext", () => {
    const sealed = encryptPrivateKey(masterKey, vaultId, address, privateKey);
    expect(sealed).not.toContain(privateKey.slice(2));
    expect(decryptPrivateKey(masterKey, vaultId, address, sealed)).toBe(privateKey);
  });

  it("uses a fresh IV per row", () => {
    expect(encryptPrivateKey(masterKey, vaultId, address, privateKey)).not.toBe(
      encryptPrivateKey(masterKey, vaultId, address, privateKey),
    );
  });

  it("fails loudly with the wrong master key, without echoing key material", () => {
    const sealed = encryptPrivateKey(masterKey, vaultId, address, privateKey);
    const open = () => decryptPrivateKey(Buffer.alloc(32, 8), vaultId, address, sealed);
    expect(open).toThrow(KeyStoreDecryptionError);
    expect(open).toThrow(/SESSION_KEY_ENCRYPTION_KEY/);
  });

  it("refuses a ciphertext moved to another vault", () => {
    const sealed = encryptPrivateKey(masterKey, vaultId, address, privateKey);
    const otherVault = "31337:0x00000000000000000000000000000000000000bb";
    expect(() => decryptPrivateKey(masterKey, otherVault, address, sealed)).toThrow(KeyStoreDecryptionError);
  });
});

describe("resolveMasterKey", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("generates a dev key once and warns without printing it", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "master-key-"));
    dirs.push(dataDir);
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message) };
    const first = resolveMasterKey({ configuredHex: undefined, dataDir, logger });
    const second = resolveMasterKey({ configuredHex: undefined, dataDir, logger });
    expect(first.equals(second)).toBe(true);
    const hex = readFileSync(path.join(dataDir, "session-key-master.key"), "utf8").trim();
    expect(warnings.length).toBe(2);
    for (const warning of warnings) expect(warning).not.toContain(hex);
  });

  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), "master-key-"));
    dirs.push(dir);
    return dir;
  };
  const quiet = { warn: () => undefined };

  it("writes the dev key with mode 0600 and announces it with a banner naming the file", () => {
    const dataDir = tempDir();
    const warnings: string[] = [];
    resolveMasterKey({ configuredHex: undefined, dataDir, logger: { warn: (message) => warnings.push(message) } });
    const file = path.join(dataDir, "session-key-master.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(warnings[0]?.split("\n").length).toBeGreaterThan(3);
    expect(warnings[0]).toContain(file);
    expect(warnings[0]).toContain("SESSION_KEY_ENCRYPTION_KEY_FILE");
  });

  it("refuses a key file readable by group or others, naming the fix", () => {
    const dataDir = tempDir();
    resolveMasterKey({ configuredHex: undefined, dataDir, logger: quiet });
    const file = path.join(dataDir, "session-key-master.key");
    chmodSync(file, 0o644);
    expect(() => resolveMasterKey({ configuredHex: undefined, dataDir, logger: quiet })).toThrow(
      /accessible to group or others \(mode 644\).*chmod 600/,
    );
  });

  it("reads SESSION_KEY_ENCRYPTION_KEY_FILE outside the data dir, and refuses one inside it or a shared one", () => {
    const secrets = tempDir();
    const dataDir = tempDir();
    const file = path.join(secrets, "master.key");
    writeFileSync(file, `${"cd".repeat(32)}\n`, { mode: 0o600 });
    const key = resolveMasterKey({ configuredHex: undefined, configuredFile: file, dataDir, logger: quiet });
    expect(key.toString("hex")).toBe("cd".repeat(32));

    const inside = path.join(dataDir, "master.key");
    writeFileSync(inside, `${"cd".repeat(32)}\n`, { mode: 0o600 });
    expect(() =>
      resolveMasterKey({ configuredHex: undefined, configuredFile: inside, dataDir, logger: quiet }),
    ).toThrow(/inside DATA_DIR/);
    chmodSync(file, 0o640);
    expect(() => resolveMasterKey({ configuredHex: undefined, configuredFile: file, dataDir, logger: quiet })).toThrow(
      /SESSION_KEY_ENCRYPTION_KEY_FILE.*mode 640/,
    );
    expect(() =>
      resolveMasterKey({ configuredHex: "ab".repeat(32), configuredFile: file, dataDir, logger: quiet }),
    ).toThrow(/not both/);
  });

  it("uses the configured key and rejects malformed ones", () => {
    const logger = { warn: () => undefined };
    const configured = resolveMasterKey({ configuredHex: "ab".repeat(32), dataDir: "/nonexistent", logger });
    expect(configured.toString("hex")).toBe("ab".repeat(32));
    expect(() => resolveMasterKey({ configuredHex: "abcd", dataDir: "/nonexistent", logger })).toThrow(/64 hex/);
  });
});
