import { z } from "zod";
import { IntentId, TxHash, VaultId } from "@/lib/defix";

/** Path and query shapes of the BFF routes that lib/defix does not already define. */
export const IntentParams = z.object({ id: IntentId });
export const VaultParams = z.object({ vaultId: VaultId });
export const NoQuery = z.strictObject({});
export const StreamQuery = z.strictObject({ vault_id: VaultId.optional() });
export const HistoryQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).optional() });
/** Optional evidence for rotation/complete; without it the OMS looks the rotation up on-chain itself. */
export const RotationCompleteBody = z.strictObject({ tx_hash: TxHash.optional() }).optional();
