import { createPublicClient, type Hash, http, TransactionReceiptNotFoundError } from "viem";
import type { AuditRecord } from "../../lib/defix/audit";

/**
 * `--rpc`: every fill's transaction exists with the recorded gas and succeeded; every attempt recorded as
 * MINED or REVERTED has that receipt status and gas. Returns the first mismatch, naming its record.
 */
export async function checkOnChain(
  rpcUrl: string,
  fills: readonly AuditRecord[],
  attempts: readonly AuditRecord[],
): Promise<string | undefined> {
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 1 }) });
  const receipt = async (hash: string) => {
    try {
      return await client.getTransactionReceipt({ hash: hash as Hash });
    } catch (error) {
      if (error instanceof TransactionReceiptNotFoundError) return null;
      throw error;
    }
  };
  const checks = [
    ...fills.map((record) => ({ record, expected: "success" as const })),
    ...attempts
      .filter((record) => record.data.status === "MINED" || record.data.status === "REVERTED")
      .map((record) => ({
        record,
        expected: record.data.status === "MINED" ? ("success" as const) : ("reverted" as const),
      })),
  ].sort((a, b) => a.record.n - b.record.n);
  for (const { record, expected } of checks) {
    const name = `record ${record.n}, ${record.kind} of transaction ${String(record.data.tx_hash)}`;
    const found = await receipt(String(record.data.tx_hash));
    if (found === null) return `${name}: no such transaction on-chain`;
    if (found.status !== expected) return `${name}: on-chain status is ${found.status}, recorded ${expected}`;
    const gas = record.data.gas_used;
    if (gas !== null && gas !== undefined && BigInt(String(gas)) !== found.gasUsed) {
      return `${name}: on-chain gas used is ${found.gasUsed}, recorded ${String(gas)}`;
    }
  }
  return undefined;
}
