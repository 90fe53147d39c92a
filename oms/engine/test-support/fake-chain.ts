import { type Address, type Hex, keccak256, parseTransaction, recoverTransactionAddress } from "viem";
import type { ChainGateway, MinedReceipt, SendOutcome } from "../../chain/gateway";

interface PooledTx {
  hash: Hex;
  from: string;
  nonce: number;
}

/**
 * An in-memory chain for the model-based test: a mempool keyed by (sender, nonce) where a later
 * transaction replaces an earlier one, and `mine()` includes each sender's contiguous nonces.
 */
export class FakeChain implements ChainGateway {
  readonly chainId = 31337;
  block = 1;
  crashNextSend = false;
  /** The senders' balances are too low: every send is refused as a node does (insufficient funds). */
  isUnfunded = false;
  /** Every sender's balance; a send whose gas × max fee exceeds it is refused (insufficient funds). */
  balanceWei = 10n ** 30n;
  /** The fee `fees()` quotes, and the base fee below which a send is refused as underpriced. */
  market = { maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };
  baseFeeWei = 0n;
  readonly pool = new Map<string, PooledTx>();
  readonly mined = new Map<Hex, MinedReceipt & { from: string; nonce: number }>();
  private readonly minedNonce_ = new Map<string, number>();

  constructor(
    private readonly root: Hex,
    private readonly hook: Address,
  ) {}

  hooksRoot = async () => this.root;
  vaultState = async () => ({
    vault_free_assets: 10n ** 12n,
    vault_total_assets: 10n ** 13n,
    position_assets: 10n ** 9n,
    position_shares: 10n ** 9n,
  });
  previewDeposit = async (_source: Address, assets: bigint) => assets;
  previewWithdraw = async (_source: Address, assets: bigint) => assets;
  simulate = async () => ({ ok: true as const, outputs: [1n], gas: 100_000n });
  fees = async () => ({ ...this.market });
  balance = async () => this.balanceWei;
  blockNumber = async () => this.block;
  revertReason = async () => null;

  async pendingNonce(address: Address): Promise<number> {
    let next = this.minedNonce_.get(address.toLowerCase()) ?? 0;
    while (this.pool.has(`${address.toLowerCase()}:${next}`)) next++;
    return next;
  }

  async minedNonce(address: Address): Promise<number> {
    return this.minedNonce_.get(address.toLowerCase()) ?? 0;
  }

  async sendRaw(raw: Hex): Promise<SendOutcome> {
    if (this.crashNextSend) {
      this.crashNextSend = false;
      throw new Error("simulated crash before the broadcast reached the node");
    }
    if (this.isUnfunded) {
      return { kind: "rejected", message: "insufficient funds for gas * price + value", code: "INSUFFICIENT_FUNDS" };
    }
    const hash = keccak256(raw);
    const from = (await recoverTransactionAddress({ serializedTransaction: raw as never })).toLowerCase();
    const parsed = parseTransaction(raw);
    const nonce = parsed.nonce ?? 0;
    const maxFee = parsed.maxFeePerGas ?? 0n;
    if ((parsed.gas ?? 0n) * maxFee > this.balanceWei) {
      return { kind: "rejected", message: "insufficient funds for gas * price + value", code: "INSUFFICIENT_FUNDS" };
    }
    if (maxFee < this.baseFeeWei) return { kind: "rejected", message: "max fee per gas less than block base fee" };
    if (this.mined.has(hash)) return { kind: "known" };
    if (nonce < (this.minedNonce_.get(from) ?? 0)) return { kind: "nonce-used" };
    this.pool.set(`${from}:${nonce}`, { hash, from, nonce });
    return { kind: "sent" };
  }

  async receipt(hash: Hex): Promise<MinedReceipt | null> {
    return this.mined.get(hash) ?? null;
  }

  async isKnown(hash: Hex): Promise<boolean> {
    return this.mined.has(hash) || [...this.pool.values()].some((tx) => tx.hash === hash);
  }

  /** Mines every sender's contiguous run of pooled nonces into one block. */
  mine(): void {
    this.block++;
    for (const from of new Set([...this.pool.values()].map((tx) => tx.from))) {
      let next = this.minedNonce_.get(from) ?? 0;
      for (let tx = this.pool.get(`${from}:${next}`); tx !== undefined; tx = this.pool.get(`${from}:${next}`)) {
        this.pool.delete(`${from}:${next}`);
        this.mined.set(tx.hash, {
          from,
          nonce: next,
          status: "success",
          blockNumber: this.block,
          gasUsed: 21_000,
          effectiveGasPriceWei: this.baseFeeWei,
          minedAt: new Date(0).toISOString(),
          hookExecutions: [
            { hook: this.hook, tokenIn: this.hook, tokenOut: this.hook, amountIn: 1n, amountOut: 1n, logIndex: 0 },
          ],
        });
        next++;
      }
      this.minedNonce_.set(from, next);
    }
  }
}
