import {
  type Address,
  createPublicClient,
  decodeFunctionResult,
  type Hex,
  type PublicClient,
  parseEventLogs,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
} from "viem";
import { sessionKeyExecutorAbi, superVaultAbi, vaultRegistryAbi, yieldSourceAbi } from "../../contracts/generated/abis";
import type { ChainGateway, MinedReceipt, SendOutcome, SimulationResult } from "./gateway";
import { decodeRevert } from "./revert";
import type { RpcConnection } from "./rpc-transport";

export interface ViemGatewayOptions {
  /** The node; its sockets are the caller's to close. */
  rpc: RpcConnection;
  chainId: number;
  registry: Address;
  pollingIntervalMs?: number;
}

/** Node answers meaning "this exact transaction is already in": not a failure. */
const ALREADY_IN = /already known|known transaction|already imported/i;
const NONCE_USED = /nonce too low|nonce has already been used/i;
/** geth: "insufficient funds for gas * price + value"; anvil: "Insufficient funds for gas * price + value". */
const INSUFFICIENT_FUNDS = /insufficient funds/i;

/** Sorts a node's refusal of `eth_sendRawTransaction` into what the engine does next. */
export function sendOutcomeOf(error: unknown): SendOutcome {
  const message = error instanceof Error ? error.message : String(error);
  if (ALREADY_IN.test(message)) return { kind: "known" };
  if (NONCE_USED.test(message)) return { kind: "nonce-used" };
  const short = (error as { shortMessage?: string }).shortMessage ?? message.slice(0, 200);
  if (INSUFFICIENT_FUNDS.test(message)) return { kind: "rejected", message: short, code: "INSUFFICIENT_FUNDS" };
  return { kind: "rejected", message: short };
}

export function createViemGateway(options: ViemGatewayOptions): ChainGateway {
  const client: PublicClient = createPublicClient({
    transport: options.rpc.transport({ retryCount: 2 }),
    pollingInterval: options.pollingIntervalMs ?? 100,
  });
  const blockTimes = new Map<number, string>();

  async function minedAt(blockNumber: number): Promise<string> {
    const cached = blockTimes.get(blockNumber);
    if (cached !== undefined) return cached;
    const block = await client.getBlock({ blockNumber: BigInt(blockNumber) });
    const at = new Date(Number(block.timestamp) * 1000).toISOString();
    blockTimes.set(blockNumber, at);
    return at;
  }

  return {
    chainId: options.chainId,
    hooksRoot: (vault, block) =>
      client.readContract({
        address: options.registry,
        abi: vaultRegistryAbi,
        functionName: "hooksRoot",
        args: [vault],
        blockNumber: block,
      }),
    async vaultState(vault, source, block) {
      const [free, total, shares] = await Promise.all([
        client.readContract({ address: vault, abi: superVaultAbi, functionName: "freeAssets", blockNumber: block }),
        client.readContract({ address: vault, abi: superVaultAbi, functionName: "totalAssets", blockNumber: block }),
        client.readContract({
          address: source,
          abi: yieldSourceAbi,
          functionName: "balanceOf",
          args: [vault],
          blockNumber: block,
        }),
      ]);
      const assets = await client.readContract({
        address: source,
        abi: yieldSourceAbi,
        functionName: "convertToAssets",
        args: [shares],
        blockNumber: block,
      });
      return { vault_free_assets: free, vault_total_assets: total, position_assets: assets, position_shares: shares };
    },
    previewDeposit: (source, assets, block) =>
      client.readContract({
        address: source,
        abi: yieldSourceAbi,
        functionName: "previewDeposit",
        args: [assets],
        blockNumber: block,
      }),
    previewWithdraw: (source, assets, block) =>
      client.readContract({
        address: source,
        abi: yieldSourceAbi,
        functionName: "previewWithdraw",
        args: [assets],
        blockNumber: block,
      }),
    async limits(holder, strategy, hooks) {
      const [paused, budgets] = await Promise.all([
        client.readContract({
          address: options.registry,
          abi: vaultRegistryAbi,
          functionName: "isPaused",
          args: [strategy],
        }),
        Promise.all(
          hooks.map(async (hook) => {
            const [, , remainingAmount, remainingExecutions, refillAt] = await client.readContract({
              address: holder,
              abi: sessionKeyExecutorAbi,
              functionName: "budgetState",
              args: [strategy, hook],
            });
            return { hook, remainingAmount, remainingExecutions, refillAt };
          }),
        ),
      ]);
      return { paused, budgets };
    },
    async simulate(from, to, data, block): Promise<SimulationResult> {
      try {
        const result = await client.call({ account: from, to, data, blockNumber: block });
        const outputs = decodeFunctionResult({
          abi: sessionKeyExecutorAbi,
          functionName: "executeHooks",
          data: result.data ?? "0x",
        });
        const gas = await client.estimateGas({ account: from, to, data, blockNumber: block });
        return { ok: true, outputs: [...outputs], gas };
      } catch (error) {
        const revert = decodeRevert(error);
        if (revert === null) throw error;
        return { ok: false, revert };
      }
    },
    async fees() {
      const fees = await client.estimateFeesPerGas();
      return { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
    },
    pendingNonce: (address) => client.getTransactionCount({ address, blockTag: "pending" }),
    minedNonce: (address) => client.getTransactionCount({ address, blockTag: "latest" }),
    blockNumber: async () => Number(await client.getBlockNumber({ cacheTime: 0 })),
    balance: (address) => client.getBalance({ address }),
    async sendRaw(raw: Hex): Promise<SendOutcome> {
      try {
        await client.sendRawTransaction({ serializedTransaction: raw });
        return { kind: "sent" };
      } catch (error) {
        return sendOutcomeOf(error);
      }
    },
    async receipt(hash, vault): Promise<MinedReceipt | null> {
      try {
        const receipt = await client.getTransactionReceipt({ hash });
        const logs = parseEventLogs({ abi: superVaultAbi, eventName: "HookExecuted", logs: receipt.logs }).filter(
          (log) => log.address.toLowerCase() === vault.toLowerCase(),
        );
        return {
          status: receipt.status,
          blockNumber: Number(receipt.blockNumber),
          gasUsed: Number(receipt.gasUsed),
          effectiveGasPriceWei: receipt.effectiveGasPrice,
          minedAt: await minedAt(Number(receipt.blockNumber)),
          hookExecutions: logs.map((log) => ({
            hook: log.args.hook,
            tokenIn: log.args.tokenIn,
            tokenOut: log.args.tokenOut,
            amountIn: log.args.amountIn,
            amountOut: log.args.amountOut,
            logIndex: log.logIndex,
          })),
        };
      } catch (error) {
        if (error instanceof TransactionReceiptNotFoundError) return null;
        throw error;
      }
    },
    async isKnown(hash) {
      try {
        await client.getTransaction({ hash });
        return true;
      } catch (error) {
        if (error instanceof TransactionNotFoundError) return false;
        throw error;
      }
    },
    async revertReason(from, to, data, blockNumber) {
      try {
        await client.call({ account: from, to, data, blockNumber: BigInt(Math.max(blockNumber - 1, 0)) });
        return null;
      } catch (error) {
        return decodeRevert(error);
      }
    },
  };
}
