import { keccak256, toHex } from "viem";
import { z } from "zod";
import { canonicalJson } from "./audit-chain";
import { Bytes32 } from "./common";
import { SubmitIntentRequest } from "./intents";
import type { SignedIntentPayload } from "./rpc";

/**
 * EIP-712 for JSON-RPC `proposeIntent`. The wallet shows the fields a person checks (vault, action,
 * size); the rest of the intent is bound by `intentHash`, the keccak256 of its canonical JSON.
 */
export const RPC_EIP712_DOMAIN_NAME = "DeFiX OMS";
export const RPC_EIP712_DOMAIN_VERSION = "1";

/**
 * The EIP-712 domain of one OMS: name, version, chain and a `salt` naming the OMS instance (the database
 * its author nonces live in). Without the salt a signature was accepted by every OMS on the chain, each
 * with its own nonce table: one signed intent could be replayed once per OMS. Clients ask the OMS for
 * its domain (JSON-RPC `getSigningDomain`) and sign against exactly that.
 */
export const RpcSigningDomain = z.strictObject({
  name: z.literal(RPC_EIP712_DOMAIN_NAME),
  version: z.literal(RPC_EIP712_DOMAIN_VERSION),
  chainId: z.number().int().positive(),
  salt: Bytes32,
});
export type RpcSigningDomain = z.infer<typeof RpcSigningDomain>;

/** The domain salt of an OMS instance id. */
export const rpcInstanceSalt = (instanceId: string): `0x${string}` => keccak256(toHex(`defix-oms:${instanceId}`));

export const rpcDomain = (chainId: number, salt: `0x${string}`): RpcSigningDomain => ({
  name: RPC_EIP712_DOMAIN_NAME,
  version: RPC_EIP712_DOMAIN_VERSION,
  chainId,
  salt,
});

export const PROPOSE_INTENT_TYPES = {
  ProposeIntent: [
    { name: "author", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "ttl", type: "uint256" },
    { name: "vaultId", type: "string" },
    { name: "action", type: "string" },
    { name: "sizeExpr", type: "string" },
    { name: "intentHash", type: "bytes32" },
  ],
} as const;

/** JSON with object keys sorted at every level, no whitespace: the same bytes on every client (one definition). */
export { canonicalJson };

/** Hash of the intent after the contract's normalisation (lower-cased addresses, defaults filled). */
export function intentHash(intent: z.input<typeof SubmitIntentRequest>): `0x${string}` {
  return keccak256(toHex(canonicalJson(SubmitIntentRequest.parse(intent))));
}

/** The typed data an author signs for `proposeIntent` (pass to viem's signTypedData). */
export function proposeIntentTypedData(domain: RpcSigningDomain, payload: z.input<typeof SignedIntentPayload>) {
  const intent = SubmitIntentRequest.parse(payload.intent);
  return {
    domain,
    types: PROPOSE_INTENT_TYPES,
    primaryType: "ProposeIntent" as const,
    message: {
      author: payload.author as `0x${string}`,
      nonce: BigInt(payload.nonce),
      ttl: BigInt(payload.ttl),
      vaultId: intent.vault_id,
      action: intent.action,
      sizeExpr: intent.action_config.size_expr,
      intentHash: intentHash(payload.intent),
    },
  };
}
