import { type Address, concat, type PublicClient } from "viem";

/** EIP-7702: an EOA delegated to `implementation` has the code `0xef0100 || implementation`. */
export function delegationCode(implementation: Address): `0x${string}` {
  return concat(["0xef0100", implementation]).toLowerCase() as `0x${string}`;
}

/** Whether `eoa` currently delegates to `implementation` (read with eth_getCode). */
export async function isDelegatedTo(
  client: Pick<PublicClient, "getCode">,
  eoa: Address,
  implementation: Address,
): Promise<boolean> {
  const code = await client.getCode({ address: eoa });
  return code?.toLowerCase() === delegationCode(implementation);
}
