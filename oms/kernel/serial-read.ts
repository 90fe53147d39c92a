import type { Logger } from "./logger";

/**
 * Makes `readOnce` run one at a time: a request while it runs makes it run once more when it ends (that
 * run may have started before the commit that prompted the request), however many requests arrived. It
 * runs only while `isWanted`. A failure is logged as `failureMessage` and waits for the next request.
 */
export function serialRead(
  readOnce: () => Promise<void>,
  options: { isWanted: () => boolean; log: Logger; failureMessage: string },
): () => Promise<void> {
  let isReading = false;
  let isReadAgain = false;
  return async function read(): Promise<void> {
    if (!options.isWanted()) return;
    if (isReading) {
      isReadAgain = true;
      return;
    }
    isReading = true;
    try {
      do {
        isReadAgain = false;
        await readOnce();
      } while (isReadAgain && options.isWanted());
    } catch (error) {
      options.log.warn(options.failureMessage, { error: error instanceof Error ? error.message : String(error) });
    } finally {
      isReading = false;
    }
  };
}
