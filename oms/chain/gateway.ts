import type { Address, Hex } from "viem";
import type { SizeEnv } from "../domain/size-expr";

/** A custom error (or revert string) decoded from revert data. */
export interface DecodedRevert {
  name: string;
  args: readonly string[];
  /** e.g. `SlippageExceeded(0, 990, 995)` */
  message: string;
}

export type SimulationResult = { ok: true; outputs: bigint[]; gas: bigint } | { ok: false; revert: DecodedRevert };

export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export interface HookExecution {
  hook: Address;
  tokenIn: Address;
  tokenOut: Address;
  amountIn: bigint;
  amountOut: bigint;
  logIndex: number;
}

export interface MinedReceipt {
  status: "success" | "reverted";
  blockNumber: number;
  gasUsed: number;
  /** Wei paid per gas unit (base fee + tip actually charged): cost = gasUsed × this. */
  effectiveGasPriceWei: bigint;
  minedAt: string;
  hookExecutions: HookExecution[];
}

/**
 * What the send of a raw transaction found out: `known` = the node already has these bytes;
 * `nonce-used` = the nonce is taken on-chain (by this transaction, or by one the OMS did not sign);
 * `rejected` with code INSUFFICIENT_FUNDS = the signer cannot pay gas × max fee (+ value).
 */
export type SendOutcome =
  | { kind: "sent" }
  | { kind: "known" }
  | { kind: "nonce-used" }
  | { kind: "rejected"; message: string; code?: SendRefusal };

/** Refusals the engine acts on; others stay a free-text message. */
export type SendRefusal = "INSUFFICIENT_FUNDS";

/** Room left in one hook's on-chain budget (issue 20); `type(uint256).max` = unlimited. */
export interface BudgetRoom {
  hook: Address;
  remainingAmount: bigint;
  remainingExecutions: bigint;
  /** Unix seconds (chain time) when the budget is whole again; 0 when nothing is used. */
  refillAt: bigint;
}

/** The registry's pause and the budgets of the hooks asked about. */
export interface ChainLimits {
  paused: boolean;
  budgets: BudgetRoom[];
}

/**
 * Everything the engine asks of the chain. The viem implementation talks JSON-RPC; the model-based
 * test swaps in an in-memory chain so it can explore thousands of interleavings quickly.
 */
export interface ChainGateway {
  readonly chainId: number;
  /*
   * Reads take an optional `block` to pin them (a refinement plans every read at one block); without
   * it they read the latest block.
   */
  hooksRoot(vault: Address, block?: bigint): Promise<Hex>;
  vaultState(vault: Address, source: Address, block?: bigint): Promise<SizeEnv>;
  previewDeposit(source: Address, assets: bigint, block?: bigint): Promise<bigint>;
  previewWithdraw(source: Address, assets: bigint, block?: bigint): Promise<bigint>;
  /** eth_call + gas estimate of `data` sent to `to` from `from`. */
  simulate(from: Address, to: Address, data: Hex, block?: bigint): Promise<SimulationResult>;
  fees(): Promise<Fees>;
  /**
   * The pause and the budget room of `hooks` on `strategy` at its key holder (read fresh, never cached). Optional so in-process
   * fakes need not model limits; without it the engine relies on the simulation and readiness alone.
   */
  limits?(holder: Address, strategy: Address, hooks: readonly Address[]): Promise<ChainLimits>;
  pendingNonce(address: Address): Promise<number>;
  /**
   * Transactions of `address` mined so far (the `latest` count): the lowest nonce still open.
   * Optional so in-process fakes without a mempool need not model it (no gap filling then).
   */
  minedNonce?(address: Address): Promise<number>;
  blockNumber(): Promise<number>;
  /**
   * Wei held by `address`. Optional so in-process fakes need not model balances; without it the engine
   * cannot keep a fee replacement within what the key can pay.
   */
  balance?(address: Address): Promise<bigint>;
  sendRaw(raw: Hex): Promise<SendOutcome>;
  /** null while not mined. Hook executions are the vault's HookExecuted logs. */
  receipt(hash: Hex, vault: Address): Promise<MinedReceipt | null>;
  /** Whether the node still has the transaction (pending or mined). */
  isKnown(hash: Hex): Promise<boolean>;
  /** Replays a mined, reverted call one block earlier to learn why it reverted. */
  revertReason(from: Address, to: Address, data: Hex, blockNumber: number): Promise<DecodedRevert | null>;
}
