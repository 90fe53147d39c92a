import { mkdtempSync, readFileSync, rmSync } from "node:fs";
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

  it("uses the configured key and rejects malformed ones", () => {
    const logger = { warn: () => undefined };
    const configured = resolveMasterKey({ configuredHex: "ab".repeat(32), dataDir: "/nonexistent", logger });
    expect(configured.toString("hex")).toBe("ab".repeat(32));
    expect(() => resolveMasterKey({ configuredHex: "abcd", dataDir: "/nonexistent", logger })).toThrow(/64 hex/);
  });
});
