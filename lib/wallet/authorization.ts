import { type Address, hexToBigInt, hexToNumber, numberToHex, type SignedAuthorization } from "viem";
import { verifyAuthorization } from "viem/utils";
import { z } from "zod";

/**
 * Asking a browser wallet to sign an EIP-7702 authorization. No ERC defines a JSON-RPC method for it yet
 * (viem's `signAuthorization` serves local accounts only: wevm/viem discussion #3285), so the console asks
 * `wallet_signAuthorization` with the authorization's three fields, as the dev test wallet (e2e/fixtures/
 * wallet.ts) and embedded wallets that expose it answer; a wallet without it is told apart (code 4200 /
 * -32601) so the manager reads why instead of a raw RPC error.
 */
export const SIGN_AUTHORIZATION_METHOD = "wallet_signAuthorization";

export interface AuthorizationRequest {
  /** The contract the EOA delegates to. */
  address: Address;
  chainId: number;
  /** The EOA's nonce the authorization consumes. */
  nonce: number;
}

export interface Eip1193Like {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

const Hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const RpcSignedAuthorization = z.object({
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  chainId: Hex,
  nonce: Hex,
  r: Hex,
  s: Hex,
  yParity: Hex,
});

export function isEip1193(provider: unknown): provider is Eip1193Like {
  return typeof provider === "object" && provider !== null && typeof (provider as Eip1193Like).request === "function";
}

/** True when the wallet said it has no such method, rather than refusing or failing. */
export function isUnsupportedMethod(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 4200 || code === -32601;
}

/**
 * The wallet's signature over exactly the authorization asked for: an answer for another delegate, chain
 * or nonce is refused here, before it goes into a transaction.
 */
export async function requestAuthorization(
  provider: Eip1193Like,
  signer: Address,
  auth: AuthorizationRequest,
): Promise<SignedAuthorization> {
  const reply = await provider.request({
    method: SIGN_AUTHORIZATION_METHOD,
    params: [{ address: auth.address, chainId: numberToHex(auth.chainId), nonce: numberToHex(auth.nonce) }, signer],
  });
  const signed = RpcSignedAuthorization.parse(reply);
  const result: SignedAuthorization = {
    address: signed.address as Address,
    chainId: hexToNumber(signed.chainId as `0x${string}`),
    nonce: hexToNumber(signed.nonce as `0x${string}`),
    r: numberToHex(hexToBigInt(signed.r as `0x${string}`), { size: 32 }),
    s: numberToHex(hexToBigInt(signed.s as `0x${string}`), { size: 32 }),
    yParity: hexToNumber(signed.yParity as `0x${string}`),
  };
  const isSame =
    result.address.toLowerCase() === auth.address.toLowerCase() &&
    result.chainId === auth.chainId &&
    result.nonce === auth.nonce;
  if (!isSame) throw new Error("The wallet signed a different authorization than the one shown; nothing was sent.");
  if (!(await verifyAuthorization({ address: signer, authorization: result }))) {
    throw new Error("The authorization was not signed by the strategy EOA; nothing was sent.");
  }
  return result;
}
