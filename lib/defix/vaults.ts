import { z } from "zod";
import { Address, IsoDateTime, Role } from "./common";
import { AccountMode } from "./intents";

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
  /** How this vault's hooks are executed (docs/ARCHITECTURE.md, "Account modes"). */
  account_mode: AccountMode,
  /** The `account_mode` values an intent of this vault may carry; any other is refused at submit. */
  supported_modes: z.array(AccountMode),
  /** The contract holding the vault's session keys: grant/rotate/revoke go there. */
  key_holder: Address.nullable(),
});
export type VaultSummary = z.infer<typeof VaultSummary>;

export const VaultList = z.object({ vaults: z.array(VaultSummary) });
export type VaultList = z.infer<typeof VaultList>;

/** The chain's latest block as the dashboard server read it (`GET /api/chain/head`). */
export const ChainHead = z.object({ block_number: z.number().int().nonnegative(), checked_at: IsoDateTime });
export type ChainHead = z.infer<typeof ChainHead>;
