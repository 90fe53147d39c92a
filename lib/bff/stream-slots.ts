import "server-only";
import { ErrorCode } from "@/lib/defix/errors";
import { BffError } from "./errors";

/**
 * Open live streams per signed-in address in this dashboard process. A stream holds a socket to the
 * OMS for as long as the browser keeps it, so one user (or a script with their cookie) opening
 * hundreds would tie up both servers; past the cap the BFF answers 429 TOO_MANY_STREAMS and the page
 * falls back to polling. The OMS applies its own cap per token subject behind this one.
 */
export interface StreamSlots {
  /** Takes a slot for `owner` or throws 429; the returned release is idempotent. */
  acquire(owner: string): () => void;
  openFor(owner: string): number;
}

export const MAX_STREAMS_PER_USER = Number(process.env.BFF_MAX_STREAMS_PER_USER ?? 12);
export const MAX_STREAMS_TOTAL = Number(process.env.BFF_MAX_STREAMS_TOTAL ?? 2_000);

export function createStreamSlots(perOwner: number, total: number): StreamSlots {
  const open = new Map<string, number>();
  let all = 0;
  return {
    acquire(owner) {
      const mine = open.get(owner) ?? 0;
      if (mine >= perOwner || all >= total) {
        const isMine = mine >= perOwner;
        throw new BffError(
          429,
          ErrorCode.TOO_MANY_STREAMS,
          isMine
            ? `This wallet already has ${mine} live views open; close some tabs.`
            : "The dashboard is serving as many live views as it can; try again shortly.",
          { limit: isMine ? perOwner : total, retry_after_seconds: 10 },
        );
      }
      open.set(owner, mine + 1);
      all += 1;
      let isReleased = false;
      return () => {
        if (isReleased) return;
        isReleased = true;
        all -= 1;
        const left = (open.get(owner) ?? 1) - 1;
        if (left <= 0) open.delete(owner);
        else open.set(owner, left);
      };
    },
    openFor: (owner) => open.get(owner) ?? 0,
  };
}

const GLOBAL_KEY = Symbol.for("defix.bff.streamSlots");

/** One counter per process: Next bundles each route handler separately, so module state would be per route. */
export function sharedStreamSlots(): StreamSlots {
  const holder = globalThis as { [GLOBAL_KEY]?: StreamSlots };
  holder[GLOBAL_KEY] ??= createStreamSlots(MAX_STREAMS_PER_USER, MAX_STREAMS_TOTAL);
  return holder[GLOBAL_KEY];
}

/** Hands `body` on unchanged and calls `release` once it ends, errors or is cancelled by the browser. */
export function releaseWhenDone(body: ReadableStream<Uint8Array>, release: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
          return;
        }
        controller.enqueue(value);
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    async cancel(reason) {
      release();
      await reader.cancel(reason);
    },
  });
}
