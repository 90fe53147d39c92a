import type { LocalAccount } from "viem";
import { createSiweMessage } from "viem/siwe";

/**
 * The SIWE message a client without a browser wallet (the token script, test drivers) signs to sign in
 * to the dashboard at `base`, with a server nonce from `POST /api/auth/nonce`: the same fields the
 * sign-in page asks a wallet to sign, valid for five minutes. Server-side code and scripts only.
 */
export async function signSiwe(
  account: LocalAccount,
  options: { base: URL; chainId: number; nonce: string; statement?: string },
): Promise<{ message: string; signature: `0x${string}` }> {
  const issuedAt = new Date();
  const message = createSiweMessage({
    domain: options.base.host,
    uri: options.base.origin,
    statement: options.statement ?? "Sign in to the DeFiX console.",
    version: "1",
    address: account.address,
    chainId: options.chainId,
    nonce: options.nonce,
    issuedAt,
    expirationTime: new Date(issuedAt.getTime() + 5 * 60_000),
  });
  return { message, signature: await account.signMessage({ message }) };
}
