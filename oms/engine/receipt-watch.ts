import type { ChainGateway } from "../chain/gateway";
import type { Clock } from "../domain/clock";

/** Heads this young are shared by every intent's step: one eth_blockNumber serves a whole round. */
const HEAD_MAX_AGE_MS = 50;
/**
 * A full check at least this often even without a new block: an automining chain makes none while our
 * transaction waits (a nonce gap), and a node that lost the transaction is noticed by a full check.
 */
export const RECHECK_MS = 1_000;
/** Past this, entries of intents that ended elsewhere (another process) are dropped wholesale. */
const MAX_REMEMBERED = 10_000;

interface Checked {
  head: number;
  /** The intent's seq_num then: anything committed since (by anyone) means look again. */
  seqNum: number;
  atMs: number;
}

/**
 * What an EXECUTING intent's last full check saw: the chain head, and that its latest attempt was known
 * to the node and only waiting. No receipt, resend or replacement decision can change until a new block
 * (or the replace-after time), so until then a poll costs one shared head read instead of several RPCs
 * and queries per intent. Kept in memory only: a restarted process simply checks everything once.
 */
export class ReceiptWatch {
  private readonly checked = new Map<string, Checked>();
  private head: { value: number; atMs: number } | null = null;
  private reading: Promise<number> | null = null;

  constructor(
    private readonly chain: Pick<ChainGateway, "blockNumber">,
    private readonly clock: Clock,
  ) {}

  /** The chain head, read at most once per HEAD_MAX_AGE_MS however many intents ask. */
  async currentHead(): Promise<number> {
    const nowMs = this.clock.now().getTime();
    if (this.head !== null && nowMs - this.head.atMs < HEAD_MAX_AGE_MS) return this.head.value;
    this.reading ??= this.chain.blockNumber().then(
      (value) => {
        this.head = { value, atMs: this.clock.now().getTime() };
        this.reading = null;
        return value;
      },
      (error: unknown) => {
        this.reading = null;
        throw error;
      },
    );
    return this.reading;
  }

  /**
   * True when nothing can have changed for this intent since its last full check: same head, nothing committed
   * since, and checked less than RECHECK_MS ago (never longer than `replaceAfterMs`, so replacement is on time).
   */
  isUnchanged(intentId: string, seqNum: number, head: number, replaceAfterMs: number): boolean {
    const last = this.checked.get(intentId);
    if (last === undefined) return false;
    const isRecent = this.clock.now().getTime() - last.atMs < Math.min(RECHECK_MS, replaceAfterMs);
    return last.head === head && last.seqNum === seqNum && isRecent;
  }

  /** The full check found the latest attempt known to the node and only waiting. */
  waiting(intentId: string, head: number, seqNum: number): void {
    if (this.checked.size >= MAX_REMEMBERED) this.checked.clear();
    this.checked.set(intentId, { head, seqNum, atMs: this.clock.now().getTime() });
  }

  forget(intentId: string): void {
    this.checked.delete(intentId);
  }
}
