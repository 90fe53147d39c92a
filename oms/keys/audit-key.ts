import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as signWith,
} from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { createFileOnce } from "../kernel/create-once";

/** What signs audit manifests (docs/ARCHITECTURE.md, "Audit chain"): ES256 over the manifest's canonical JSON. */
export interface AuditSigner {
  algorithm: "ES256";
  /** SPKI PEM. */
  publicKeyPem: string;
  /** SHA-256 of the DER public key, hex. */
  fingerprint: string;
  /** IEEE P1363 (r‖s) signature, hex. */
  sign(message: string): string;
}

export const AUDIT_KEY_FILE = "audit-signing-key.pem";

function signerOf(privateKey: KeyObject): AuditSigner {
  const details = privateKey.asymmetricKeyDetails;
  if (privateKey.asymmetricKeyType !== "ec" || details?.namedCurve !== "prime256v1") {
    throw new Error("the audit signing key must be an EC P-256 (prime256v1) private key");
  }
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ format: "der", type: "spki" });
  return {
    algorithm: "ES256",
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
    fingerprint: createHash("sha256").update(der).digest("hex"),
    sign: (message) =>
      signWith("sha256", Buffer.from(message, "utf8"), { key: privateKey, dsaEncoding: "ieee-p1363" }).toString("hex"),
  };
}

/**
 * The audit key from `AUDIT_SIGNING_KEY_FILE` (PKCS#8 PEM, mode 0600), else one generated once into the
 * data dir (as the dev session-key master key is). Messages name files, never the key.
 */
export function resolveAuditSigner(options: {
  configuredFile: string | undefined;
  dataDir: string;
  logger: { info(message: string): void };
}): AuditSigner {
  const file = options.configuredFile ?? path.join(options.dataDir, AUDIT_KEY_FILE);
  if (!existsSync(file)) {
    if (options.configuredFile) throw new Error(`AUDIT_SIGNING_KEY_FILE: ${file} does not exist`);
    mkdirSync(options.dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    // Several OMS processes may start at once on one data dir: the first one's key wins, the others read it.
    if (createFileOnce(file, pem, 0o600)) options.logger.info(`audit signing key generated: ${file}`);
  }
  const mode = statSync(file).mode & 0o777;
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    throw new Error(`audit signing key ${file} is accessible to group or others: run chmod 600 ${file}`);
  }
  try {
    return signerOf(createPrivateKey(readFileSync(file, "utf8")));
  } catch (error) {
    throw new Error(`audit signing key ${file}: ${(error as Error).message}`);
  }
}
