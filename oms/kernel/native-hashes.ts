import { createHash } from "node:crypto";
import { setSha256 } from "../../lib/defix/audit-chain";
import { loadKeccak } from "./keccak";

/** SHA-256 on node:crypto (OpenSSL): the digest viem's pure-JS SHA-256 computes, several times faster. */
export function nodeSha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * The OMS's hot hashes on native code, installed once at start (`createOms`): the audit chain's SHA-256 (every
 * appended event: a digest and a link) and the idempotency key's keccak256 (every submit). The digests are the
 * same as the JS ones a process without them computes (`native-hashes.test.ts`).
 */
export async function loadNativeHashes(): Promise<void> {
  setSha256(nodeSha256Hex);
  await loadKeccak();
}
