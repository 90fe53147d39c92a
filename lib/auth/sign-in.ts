import "server-only";
import { serverChainClient } from "@/lib/chain/server-client";
import { chainId, nextAuthUrl, rpcUrl } from "./server-config";
import { sharedNonceStore } from "./shared-nonce-store";
import { SiweError, verifySiwe } from "./siwe";

/** Verifies a SIWE message + signature against this deployment; returns the lower-cased address. */
export async function verifySignIn(input: { message: string; signature: `0x${string}` }): Promise<`0x${string}`> {
  const expectedChainId = chainId();
  if (expectedChainId === null) {
    throw new SiweError("CHAIN_MISMATCH", "No deployment found yet: start the stack before signing in.");
  }
  // A public client on RPC_URL, so ERC-1271 / ERC-6492 smart-account signatures verify too.
  const client = serverChainClient(rpcUrl());
  return verifySiwe(
    {
      domain: nextAuthUrl().host,
      chainId: expectedChainId,
      nonces: sharedNonceStore(),
      verifySignature: (args) => client.verifyMessage(args),
    },
    input,
  );
}
