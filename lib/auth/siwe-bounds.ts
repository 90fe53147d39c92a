/**
 * Cheap, linear checks that run before any SIWE parsing. viem's `parseSiweMessage` uses a regex that is
 * quadratic on some inputs (146 KiB of repeated "URI: " took 6 s of one event loop), so nothing longer or
 * differently shaped than a real EIP-4361 message may reach it.
 */
export const SIWE_LIMITS = {
  /** A real message is ~400 characters; the statement and a few resources fit well below this. */
  maxMessageChars: 2_000,
  maxLines: 20,
  maxLineChars: 400,
  /** 65-byte EOA signatures are 132 hex characters; ERC-1271/6492 wrappers (factory calldata) need more. */
  maxSignatureChars: 8_194,
} as const;

const HEADER = / wants you to sign in with your Ethereum account:$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
/** The EIP-4361 fields after the statement, in any order; "- " lines are resources. */
const FIELD = /^(?:URI|Version|Chain ID|Nonce|Issued At|Expiration Time|Not Before|Request ID): \S|^Resources:$|^- \S/;

/** True when the text has the line structure of an EIP-4361 message and fits its limits. */
export function isSiweShaped(message: string): boolean {
  if (message.length > SIWE_LIMITS.maxMessageChars) return false;
  const lines = message.split("\n");
  if (lines.length > SIWE_LIMITS.maxLines || lines.some((line) => line.length > SIWE_LIMITS.maxLineChars)) return false;
  const [header = "", address = "", blank, ...rest] = lines;
  if (!HEADER.test(header) || !ADDRESS.test(address) || blank !== "") return false;
  // At most one free-text line (the statement), and it comes before the fields.
  let hasStatement = false;
  let hasFields = false;
  for (const line of rest) {
    if (line === "") continue;
    if (FIELD.test(line)) {
      hasFields = true;
    } else if (hasStatement || hasFields) {
      return false;
    } else {
      hasStatement = true;
    }
  }
  return hasFields;
}

/** The signer the message claims (line 2), lower-cased; null when the message is not SIWE-shaped. */
export function claimedAddress(message: string): string | null {
  if (!isSiweShaped(message)) return null;
  return message.split("\n", 2)[1]?.toLowerCase() ?? null;
}

export function isSignatureShaped(signature: string): boolean {
  return (
    signature.length >= 4 &&
    signature.length <= SIWE_LIMITS.maxSignatureChars &&
    signature.length % 2 === 0 &&
    /^0x[0-9a-fA-F]+$/.test(signature)
  );
}
