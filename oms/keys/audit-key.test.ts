import { generateKeyPairSync, verify } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AUDIT_KEY_FILE, resolveAuditSigner } from "./audit-key";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "audit-key-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const quiet = { info: () => undefined };

describe("resolveAuditSigner", () => {
  it("generates a P-256 key once into the data dir (0600) and signs verifiably with it", () => {
    const dataDir = tempDir();
    const signer = resolveAuditSigner({ configuredFile: undefined, dataDir, logger: quiet });
    expect(statSync(path.join(dataDir, AUDIT_KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = resolveAuditSigner({ configuredFile: undefined, dataDir, logger: quiet });
    expect(again.publicKeyPem).toBe(signer.publicKeyPem);
    const signature = Buffer.from(signer.sign("manifest"), "hex");
    expect(signature).toHaveLength(64);
    expect(
      verify("sha256", Buffer.from("manifest"), { key: signer.publicKeyPem, dsaEncoding: "ieee-p1363" }, signature),
    ).toBe(true);
  });

  it("refuses a key file others can read, a missing configured file, and a key that is not P-256", () => {
    const dataDir = tempDir();
    resolveAuditSigner({ configuredFile: undefined, dataDir, logger: quiet });
    const file = path.join(dataDir, AUDIT_KEY_FILE);
    chmodSync(file, 0o644);
    expect(() => resolveAuditSigner({ configuredFile: undefined, dataDir, logger: quiet })).toThrow(/chmod 600/);
    expect(() =>
      resolveAuditSigner({ configuredFile: path.join(dataDir, "nope.pem"), dataDir, logger: quiet }),
    ).toThrow(/does not exist/);
    const other = path.join(tempDir(), "ed.pem");
    const { privateKey } = generateKeyPairSync("ed25519");
    writeFileSync(other, privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
    expect(() => resolveAuditSigner({ configuredFile: other, dataDir, logger: quiet })).toThrow(/P-256/);
  });
});
