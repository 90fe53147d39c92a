import type { Address, Hex, PublicClient, TypedDataDefinition } from "viem";

/** Checks an EIP-712 signature for an address: an EOA's ECDSA, or ERC-1271 `isValidSignature` for a contract wallet. */
export interface SignatureVerifier {
  verifyTypedData(signer: Address, signature: Hex, typedData: TypedDataDefinition): Promise<boolean>;
}

/**
 * viem's `verifyTypedData` action: ECDSA recovery for accounts without code, `isValidSignature` (and
 * ERC-6492 for counterfactual wallets) through the chain otherwise, so a Safe can be a quorum member.
 * A chain that cannot be reached throws (the caller answers CHAIN_UNAVAILABLE), never "invalid".
 */
export function createSignatureVerifier(client: Pick<PublicClient, "verifyTypedData">): SignatureVerifier {
  return {
    verifyTypedData: (signer, signature, typedData) =>
      client.verifyTypedData({ ...typedData, address: signer, signature } as Parameters<
        PublicClient["verifyTypedData"]
      >[0]),
  };
}
