import {
  type Address,
  BaseError,
  createPublicClient,
  getAddress,
  type Hex,
  http,
  keccak256,
  parseEventLogs,
  RpcRequestError,
  toHex,
} from "viem";
import {
  createBundlerClient,
  entryPoint08Abi,
  formatUserOperationRequest,
  getUserOperationHash,
  type UserOperation,
} from "viem/account-abstraction";
import { superVaultAbi } from "../../contracts/generated/abis";
import type { DeploymentManifest } from "../../lib/deployment/manifest";
import type { HookExecution } from "./gateway";
import type { RpcConnection } from "./rpc-transport";

/**
 * The ERC-4337 side of the chain (docs/ARCHITECTURE.md, "Account modes"): a bundler over the standard bundler
 * JSON-RPC at BUNDLER_URL and the EntryPoint v0.8 reads. viem's `viem/account-abstraction` does the hashing and the
 * request formatting; nothing here hand-encodes a user operation.
 */

export type SignedUserOp = UserOperation<"0.8">;

export type UserOpSendOutcome = { kind: "sent" } | { kind: "rejected"; message: string; code: string | null };

export interface UserOpReceipt {
  success: boolean;
  /** What the account paid (wei) and the gas it was charged for, from the EntryPoint's UserOperationEvent. */
  actualGasCost: bigint;
  actualGasUsed: bigint;
  bundleTxHash: Hex;
  blockNumber: number;
  minedAt: string;
  /** The vault's HookExecuted logs emitted by this user operation only (a bundle may carry others). */
  hookExecutions: HookExecution[];
  /** The revert reason the EntryPoint reported for a failed execution, when there was one. */
  reason: string | null;
}

export interface UserOpGateway {
  entryPoint: Address;
  /** The EntryPoint nonce (key << 64 | sequence) of `sender` for nonce key `key`. */
  nonce(sender: Address, key: bigint): Promise<bigint>;
  /** eth_estimateUserOperationGas: the three gas limits of the op. */
  estimate(
    op: SignedUserOp,
  ): Promise<Pick<SignedUserOp, "callGasLimit" | "verificationGasLimit" | "preVerificationGas">>;
  hash(op: SignedUserOp): Hex;
  send(op: SignedUserOp): Promise<UserOpSendOutcome>;
  /** Whether the bundler holds the op (pending or included): eth_getUserOperationByHash. */
  isKnown(userOpHash: Hex): Promise<boolean>;
  /** null while not included. */
  receipt(userOpHash: Hex, vault: Address): Promise<UserOpReceipt | null>;
}

/**
 * The nonce key of an intent: 192 bits of keccak256(intent id). Each intent has its own EntryPoint nonce lane, so
 * concurrent intents of one account never wait on each other and the op of an intent can execute at most once
 * (sequence 0 of its key; any later op with that nonce is refused AA25).
 */
export const nonceKeyOf = (intentId: string): bigint => BigInt(keccak256(toHex(intentId))) >> 64n;

/**
 * The bundler's own words for a refusal. viem's message of a JSON-RPC error starts "RPC Request failed." (its
 * shortMessage); the bundler's reason, with the AA code an operator needs, is the RPC error's `details`.
 */
export function bundlerMessage(error: unknown): string {
  if (!(error instanceof BaseError)) return error instanceof Error ? error.message : String(error);
  const rpc = error.walk((cause) => cause instanceof RpcRequestError);
  return (rpc instanceof BaseError && rpc.details) || error.shortMessage;
}

/** An AA error code (AA21, AA24, …) in a bundler's message, if there is one. */
export const aaCodeOf = (message: string): string | null => /\bAA\d\d\b/.exec(message)?.[0] ?? null;

export function createUserOpGateway(options: {
  bundlerUrl: string;
  rpc: RpcConnection;
  chainId: number;
  entryPoint: Address;
}): UserOpGateway {
  const bundler = createBundlerClient({ transport: http(options.bundlerUrl), pollingInterval: 100 });
  const client = createPublicClient({ transport: options.rpc.transport() });
  const entryPoint = options.entryPoint;
  return {
    entryPoint,
    nonce: (sender, key) =>
      client.readContract({ address: entryPoint, abi: entryPoint08Abi, functionName: "getNonce", args: [sender, key] }),
    async estimate(op) {
      const gas = await bundler.request({
        method: "eth_estimateUserOperationGas",
        params: [formatUserOperationRequest(op), entryPoint],
      });
      return {
        callGasLimit: BigInt(gas.callGasLimit),
        verificationGasLimit: BigInt(gas.verificationGasLimit),
        preVerificationGas: BigInt(gas.preVerificationGas),
      };
    },
    hash: (op) =>
      getUserOperationHash({
        chainId: options.chainId,
        entryPointAddress: entryPoint,
        entryPointVersion: "0.8",
        userOperation: op,
      }),
    async send(op) {
      try {
        await bundler.request({
          method: "eth_sendUserOperation",
          params: [formatUserOperationRequest(op), entryPoint],
        });
        return { kind: "sent" };
      } catch (error) {
        const message = bundlerMessage(error);
        return { kind: "rejected", message, code: aaCodeOf(message) };
      }
    },
    async isKnown(userOpHash) {
      const found = await bundler.request({ method: "eth_getUserOperationByHash", params: [userOpHash] });
      return found !== null;
    },
    async receipt(userOpHash, vault) {
      const found = await bundler.request({ method: "eth_getUserOperationReceipt", params: [userOpHash] });
      if (found === null) return null;
      const blockNumber = BigInt(found.receipt.blockNumber);
      const block = await client.getBlock({ blockNumber });
      const logs = parseEventLogs({ abi: superVaultAbi, eventName: "HookExecuted", logs: found.logs });
      return {
        success: found.success,
        actualGasCost: BigInt(found.actualGasCost),
        actualGasUsed: BigInt(found.actualGasUsed),
        bundleTxHash: found.receipt.transactionHash,
        blockNumber: Number(blockNumber),
        minedAt: new Date(Number(block.timestamp) * 1000).toISOString(),
        hookExecutions: logs
          .filter((log) => log.address.toLowerCase() === vault.toLowerCase())
          .map((log) => ({
            hook: log.args.hook,
            tokenIn: log.args.tokenIn,
            tokenOut: log.args.tokenOut,
            amountIn: log.args.amountIn,
            amountOut: log.args.amountOut,
            logIndex: Number(log.logIndex),
          })),
        reason: found.reason ?? null,
      };
    },
  };
}

/** The gateway when both a bundler URL and the manifest's EntryPoint exist; else none (4337 modes refused). */
export function userOpGatewayFor(options: {
  bundlerUrl: string | undefined;
  rpc: RpcConnection;
  manifest: Pick<DeploymentManifest, "chain_id" | "contracts">;
}): UserOpGateway | undefined {
  const entryPoint = options.manifest.contracts.entry_point;
  if (options.bundlerUrl === undefined || entryPoint === undefined) return undefined;
  return createUserOpGateway({
    bundlerUrl: options.bundlerUrl,
    rpc: options.rpc,
    chainId: options.manifest.chain_id,
    entryPoint: getAddress(entryPoint),
  });
}
