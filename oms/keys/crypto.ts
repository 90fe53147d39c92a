import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const FORMAT = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Raised when a stored key cannot be opened: wrong master key or a tampered row. Never carries key material. */
export class KeyStoreDecryptionError extends Error {
  constructor(
    readonly vaultId: string,
    readonly address: string,
    options?: { cause: unknown },
  ) {
    super(
      `cannot decrypt the session key ${address} of vault ${vaultId}: SESSION_KEY_ENCRYPTION_KEY differs from the one it was stored with, or the row was altered`,
      options,
    );
    this.name = "KeyStoreDecryptionError";
  }
}

/** Binding the ciphertext to its row means a key copied onto another vault or address fails to open. */
function additionalData(vaultId: string, address: string): Buffer {
  return Buffer.from(`${vaultId}|${address.toLowerCase()}`, "utf8");
}

export function assertMasterKey(masterKey: Uint8Array): void {
  if (masterKey.length !== 32) throw new Error(`the session-key master key must be 32 bytes, got ${masterKey.length}`);
}

/** AES-256-GCM with a fresh IV per row: `v1:<iv>:<tag>:<ciphertext>` in hex. */
export function encryptPrivateKey(
  masterKey: Uint8Array,
  vaultId: string,
  address: string,
  privateKey: `0x${string}`,
): string {
  return sealBytes(masterKey, additionalData(vaultId, address), Buffer.from(privateKey.slice(2), "hex"));
}

/**
 * Seals any secret with the master key (AES-256-GCM, `v1:<iv>:<tag>:<ciphertext>`), bound to `context`
 * (the row it belongs to) so a sealed value copied onto another row fails to open.
 */
export function sealBytes(masterKey: Uint8Array, context: Buffer, plaintext: Buffer): string {
  assertMasterKey(masterKey);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", masterKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(context);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [FORMAT, iv.toString("hex"), cipher.getAuthTag().toString("hex"), ciphertext.toString("hex")].join(":");
}

/** Opens `sealBytes` output; throws (without key material) on a wrong key, context or a tampered value. */
export function openBytes(masterKey: Uint8Array, context: Buffer, sealed: string): Buffer {
  assertMasterKey(masterKey);
  const [format, ivHex, tagHex, dataHex] = sealed.split(":");
  if (format !== FORMAT || !ivHex || !tagHex || !dataHex) throw new Error("sealed value has an unknown format");
  const decipher = createDecipheriv("aes-256-gcm", masterKey, Buffer.from(ivHex, "hex"), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(context);
  decipher.setAuthTag(Buffer.from(tagHex, "hex"));
  return Buffer.concat([decipher.update(Buffer.from(dataHex, "hex")), decipher.final()]);
}

export function decryptPrivateKey(
  masterKey: Uint8Array,
  vaultId: string,
  address: string,
  sealed: string,
): `0x${string}` {
  assertMasterKey(masterKey);
  try {
    return `0x${openBytes(masterKey, additionalData(vaultId, address), sealed).toString("hex")}`;
  } catch (cause) {
    // node:crypto only reports an auth-tag failure; the domain error says what to fix.
    throw new KeyStoreDecryptionError(vaultId, address, { cause });
  }
}
