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
/** How often running workers read the head while an intent waits (`startWorkers({ headPollMs })`, `OMS_HEAD_POLL_MS`). */
export const DEFAULT_HEAD_POLL_MS = 100;
/** Most intents one claim asks for early because a new head came (`behind`); the rest come in the next claims. */
const MAX_BEHIND = 256;

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
  /** The newest head any read returned; told to the followers when it grows. */
  private newest = -1;
  /** Each follower's callback on a newer head, and on a failed read of the timer (told once per outage). */
  private readonly followers = new Map<(head: number) => void, (error: unknown) => void>();
  private following: ReturnType<typeof setInterval> | null = null;
  /** The timer's last read failed: the outage was told, and is not told again until a read succeeds. */
  private isFailing = false;
  /** When an intent was last found waiting: the head is followed (read on a timer) only while one may still be. */
  private lastWaitingAtMs = Number.NEGATIVE_INFINITY;

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
        if (value > this.newest) {
          this.newest = value;
          for (const follower of this.followers.keys()) follower(value);
        }
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
    const atMs = this.clock.now().getTime();
    this.checked.set(intentId, { head, seqNum, atMs });
    this.lastWaitingAtMs = atMs;
  }

  /**
   * How long a waiting intent may sleep: while the head is followed, until its next full check is due (a new head
   * claims it earlier: `behind`); otherwise `pollMs`, the polling the head would have replaced.
   */
  sleepMs(intentId: string, pollMs: number, replaceAfterMs: number): number {
    const last = this.checked.get(intentId);
    if (this.followers.size === 0 || last === undefined) return pollMs;
    return Math.max(0, last.atMs + Math.min(RECHECK_MS, replaceAfterMs) - this.clock.now().getTime());
  }

  /**
   * Intents whose last full check saw an older head than the newest one read: what they wait for may have happened,
   * so they are claimed now rather than when their full check falls due. Entries older than a recheck are dropped
   * (their intent is due by then anyway, and checks in again if it still waits).
   */
  behind(): string[] {
    const ids: string[] = [];
    const staleBefore = this.clock.now().getTime() - RECHECK_MS;
    for (const [id, last] of this.checked) {
      if (last.atMs < staleBefore) this.checked.delete(id);
      else if (last.head < this.newest && ids.length < MAX_BEHIND) ids.push(id);
    }
    return ids;
  }

  /** Whether this intent's last full check saw an older head than the newest one read. */
  isBehind(intentId: string): boolean {
    const last = this.checked.get(intentId);
    return last !== undefined && last.head < this.newest;
  }

  /**
   * Reads the head every `intervalMs` while an intent may be waiting for a block, and calls `onNewHead` whenever a
   * read (this one's or a step's) finds a newer one; the returned function stops it. Waiting intents then sleep
   * until their recheck (`sleepMs`) instead of polling: one `eth_blockNumber` per interval replaces a claim, a read and
   * a release per intent per poll.
   */
  follow(intervalMs: number, onNewHead: (head: number) => void, onError: (error: unknown) => void): () => void {
    this.followers.set(onNewHead, onError);
    if (this.following === null) {
      this.following = setInterval(() => {
        if (this.clock.now().getTime() - this.lastWaitingAtMs > RECHECK_MS) return;
        this.currentHead().then(
          () => {
            this.isFailing = false;
          },
          (error: unknown) => {
            // Intents still get their full checks on time; the outage is said once, not every interval.
            if (!this.isFailing) for (const tell of this.followers.values()) tell(error);
            this.isFailing = true;
          },
        );
      }, intervalMs);
      // The workers' loops keep the process up while they run; this timer alone never does.
      this.following.unref();
    }
    return () => {
      this.followers.delete(onNewHead);
      if (this.followers.size > 0 || this.following === null) return;
      clearInterval(this.following);
      this.following = null;
    };
  }

  forget(intentId: string): void {
    this.checked.delete(intentId);
  }
}
