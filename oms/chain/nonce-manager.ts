import type { Kysely } from "kysely";
import type { Clock } from "../domain/clock";
import type { Tx } from "../store/intents-repo";
import { allocateNonce, ensureSignerNonce } from "../store/nonces-repo";
import type { Database } from "../store/schema";
import type { ChainGateway } from "./gateway";

export interface NonceManager {
  /** Before the first allocation of a signer in this process: align the counter with the chain. */
  ensure(signer: string): Promise<void>;
  /** After finding a nonce taken by a transaction we did not sign: catch up with the chain again. */
  realign(signer: string): Promise<void>;
  /** Inside the transaction that persists the signed tx: the nonce is used iff that commits. */
  allocate(trx: Tx, signer: string): Promise<number>;
  /**
   * Runs sign → commit → send for one signer at a time in this process, so the node receives its
   * nonces in order (anvil's automine can strand a nonce that arrives before its predecessor).
   */
  serialize<T>(signer: string, task: () => Promise<T>): Promise<T>;
}

/**
 * One counter per (chain, signer) in the database, so every worker and process shares it. Allocation
 * is a row-locked increment in the same transaction that stores the signed transaction.
 */
export function createNonceManager(db: Kysely<Database>, chain: ChainGateway, clock: Clock): NonceManager {
  const aligned = new Map<string, Promise<void>>();
  const queues = new Map<string, Promise<unknown>>();
  return {
    ensure(signer) {
      const key = signer.toLowerCase();
      let pending = aligned.get(key);
      if (pending === undefined) {
        pending = chain
          .pendingNonce(key as `0x${string}`)
          .then((count) => ensureSignerNonce(db, chain.chainId, key, count, clock.now()));
        // A failed alignment (chain down) must be retried, not cached.
        pending.catch(() => aligned.delete(key));
        aligned.set(key, pending);
      }
      return pending;
    },
    async realign(signer) {
      const count = await chain.pendingNonce(signer.toLowerCase() as `0x${string}`);
      await ensureSignerNonce(db, chain.chainId, signer.toLowerCase(), count, clock.now());
    },
    allocate: (trx, signer) => allocateNonce(trx, chain.chainId, signer, clock.now()),
    serialize(signer, task) {
      const key = signer.toLowerCase();
      const previous = queues.get(key) ?? Promise.resolve();
      const run = previous.then(task, task);
      const settled = run.then(
        () => undefined,
        () => undefined,
      );
      queues.set(key, settled);
      void settled.then(() => {
        if (queues.get(key) === settled) queues.delete(key);
      });
      return run;
    },
  };
}
