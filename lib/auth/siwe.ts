import type { Address, Hex } from "viem";
import { parseSiweMessage } from "viem/siwe";
import type { NonceStore } from "./nonce-store";
import { isSignatureShaped, isSiweShaped } from "./siwe-bounds";

/** Why a sign-in message was refused; the sign-in page shows a sentence per reason. */
export type SiweFailure =
  | "MALFORMED"
  | "NONCE_INVALID"
  | "DOMAIN_MISMATCH"
  | "CHAIN_MISMATCH"
  | "EXPIRED"
  | "NOT_YET_VALID"
  | "ISSUED_AT_INVALID"
  | "BAD_SIGNATURE";

export class SiweError extends Error {
  constructor(
    readonly reason: SiweFailure,
    message: string,
  ) {
    super(message);
    this.name = "SiweError";
  }
}

export interface SiweVerifierDeps {
  /** host[:port] of NEXTAUTH_URL: the only domain a message may name. */
  domain: string;
  /** The deployment's chain; a message for another chain is refused. */
  chainId: number;
  nonces: NonceStore;
  /** EOA or smart-account (ERC-1271/6492) check; production passes a viem public client's verifyMessage. */
  verifySignature(args: { address: Address; message: string; signature: Hex }): Promise<boolean>;
  now?: () => Date;
  /** How old `issuedAt` may be; also caps messages without an expirationTime. */
  maxAgeMs?: number;
}

const CLOCK_SKEW_MS = 60_000;
const DEFAULT_MAX_AGE_MS = 10 * 60_000;

/** Checks an EIP-4361 message and its signature; returns the signer's lower-cased address. */
export async function verifySiwe(deps: SiweVerifierDeps, input: { message: string; signature: Hex }): Promise<Address> {
  // Bounded before parsing: the parser is quadratic on hostile input (see siwe-bounds.ts).
  if (!isSiweShaped(input.message) || !isSignatureShaped(input.signature)) {
    throw new SiweError("MALFORMED", "The sign-in message or signature is not a well-formed EIP-4361 sign-in.");
  }
  const fields = parseSiweMessage(input.message);
  const { address, domain, chainId, nonce, issuedAt, uri, version } = fields;
  if (!address || !domain || !chainId || !nonce || !issuedAt || !uri || version !== "1") {
    throw new SiweError("MALFORMED", "The sign-in message is not a complete EIP-4361 message.");
  }
  // Consumed before any other check so a refused attempt cannot be retried with the same nonce.
  if (!(await deps.nonces.consume(nonce))) {
    throw new SiweError("NONCE_INVALID", "The sign-in nonce is unknown, expired or already used. Request a new one.");
  }
  if (domain !== deps.domain) {
    throw new SiweError("DOMAIN_MISMATCH", `The message is for ${domain}, not ${deps.domain}.`);
  }
  if (chainId !== deps.chainId) {
    throw new SiweError(
      "CHAIN_MISMATCH",
      `The message is for chain ${chainId}; this deployment runs on chain ${deps.chainId}.`,
    );
  }
  checkTimes(fields, deps.now?.() ?? new Date(), deps.maxAgeMs ?? DEFAULT_MAX_AGE_MS);
  const isValid = await deps.verifySignature({ address, message: input.message, signature: input.signature });
  if (!isValid) throw new SiweError("BAD_SIGNATURE", "The signature does not match the message's address.");
  return address.toLowerCase() as Address;
}

function checkTimes(fields: ReturnType<typeof parseSiweMessage>, now: Date, maxAgeMs: number): void {
  const issuedAt = fields.issuedAt?.getTime() ?? Number.NaN;
  if (Number.isNaN(issuedAt) || issuedAt > now.getTime() + CLOCK_SKEW_MS || now.getTime() - issuedAt > maxAgeMs) {
    throw new SiweError("ISSUED_AT_INVALID", "The message's issuedAt is missing, in the future or too old.");
  }
  if (fields.expirationTime) {
    const expiry = fields.expirationTime.getTime();
    if (Number.isNaN(expiry) || expiry <= now.getTime())
      throw new SiweError("EXPIRED", "The sign-in message has expired.");
  }
  if (fields.notBefore) {
    const notBefore = fields.notBefore.getTime();
    if (Number.isNaN(notBefore) || notBefore > now.getTime() + CLOCK_SKEW_MS) {
      throw new SiweError("NOT_YET_VALID", "The sign-in message is not valid yet.");
    }
  }
}
