import { z } from "zod";
import { Address, IsoDateTime, Role } from "./common";

/** A vault the caller holds a role on (`GET /defix/vaults`): manifest facts plus live on-chain managers. */
export const VaultSummary = z.object({
  vault_id: z.string(),
  chain_id: z.number().int(),
  address: Address,
  name: z.string(),
  symbol: z.string(),
  role: Role,
  primary_manager: Address.nullable(),
  secondary_managers: z.array(Address),
});
export type VaultSummary = z.infer<typeof VaultSummary>;

export const VaultList = z.object({ vaults: z.array(VaultSummary) });
export type VaultList = z.infer<typeof VaultList>;

/** The chain's latest block as the dashboard server read it (`GET /api/chain/head`). */
export const ChainHead = z.object({ block_number: z.number().int().nonnegative(), checked_at: IsoDateTime });
export type ChainHead = z.infer<typeof ChainHead>;
