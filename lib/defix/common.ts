import { z } from "zod";

/** A 20-byte hex address, normalised to lower case on parse. */
export const Address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
  .transform((value) => value.toLowerCase() as `0x${string}`);
export type Address = z.output<typeof Address>;

export const Hex = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2})*$/, "must be 0x-prefixed even-length hex")
  .transform((value) => value.toLowerCase() as `0x${string}`);

export const Bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex value")
  .transform((value) => value.toLowerCase() as `0x${string}`);

export const TxHash = Bytes32;

/** Decimal integer as a string: token base units and wei never travel as JS numbers. */
export const DecimalString = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, "must be a non-negative decimal integer string");

/** `{chainId}:{lowercased vault address}`, e.g. `31337:0xabc…`. */
export const VaultId = z
  .string()
  .max(100)
  .regex(/^[1-9][0-9]{0,18}:0x[0-9a-fA-F]{40}$/, "must be {chainId}:{0x vault address}")
  .transform((value) => value.toLowerCase());
export type VaultId = z.output<typeof VaultId>;

export function parseVaultId(vaultId: string): { chainId: number; address: Address } {
  const [chain, address] = VaultId.parse(vaultId).split(":");
  return { chainId: Number(chain), address: address as Address };
}

export function formatVaultId(chainId: number, address: string): string {
  return `${chainId}:${address.toLowerCase()}`;
}

export const IsoDateTime = z.string().datetime({ offset: true });

export const IntentId = z.string().uuid();

/** Every non-2xx response body: `{ error: { code, message, details? } }`. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    request_id: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Role = z.enum(["PRIMARY_MANAGER", "SECONDARY_MANAGER", "VIEW_ONLY"]);
export type Role = z.infer<typeof Role>;
