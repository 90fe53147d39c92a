import type { FastifyRequest } from "fastify";
import { ErrorCode } from "../../lib/defix/errors";
import { DomainError } from "../kernel/errors";
import { grantFor, requireActor } from "./auth";
import type { EventStream } from "./sse";

/** setTimeout fires at once for delays above 2^31-1 ms; a later expiry is re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A permission is a fact about now, not about when the stream opened. Every `reauthMs` the caller's
 * grant on each of `vaultIds` is looked up again (through the role directory and its short cache):
 * a vault whose role is gone is removed from the set, so its events stop being forwarded, and once
 * none is left the stream ends with `FORBIDDEN`. The stream also ends at the token's `exp`
 * (`TOKEN_EXPIRED`). A role lookup that fails ends the stream too: it cannot be shown to still hold.
 */
export function guardStreamAccess(
  request: FastifyRequest,
  stream: EventStream,
  vaultIds: Set<string>,
  reauthMs: number,
): void {
  const actor = requireActor(request);
  const { directory } = request.server.access;

  let expiryTimer: NodeJS.Timeout | undefined;
  const armExpiry = (expiresAt: number) => {
    const remaining = expiresAt - Date.now();
    if (remaining <= 0) {
      stream.closeWith({ code: ErrorCode.TOKEN_EXPIRED, message: "The bearer token has expired" });
      return;
    }
    expiryTimer = setTimeout(() => armExpiry(expiresAt), Math.min(remaining, MAX_TIMER_MS));
  };
  if (actor.tokenExpiresAt !== null) armExpiry(actor.tokenExpiresAt);

  // A stream opened over no vault (a caller without roles) has nothing to lose; it only ends at expiry.
  const hadVaults = vaultIds.size > 0;
  let isChecking = false;
  const recheck = async () => {
    const removed: string[] = [];
    for (const vaultId of [...vaultIds]) {
      if (!(await grantFor(actor, vaultId, directory))) {
        vaultIds.delete(vaultId);
        removed.push(vaultId);
      }
    }
    if (hadVaults && vaultIds.size === 0) {
      stream.closeWith({ code: ErrorCode.FORBIDDEN, message: "The caller no longer holds a role on these vaults" });
    } else if (removed.length > 0) {
      // No event of these vaults follows; a client holding their rows (the approvals queue) refetches now.
      stream.send({ event: "access_changed", data: { removed_vault_ids: removed } });
    }
  };
  const reauth = setInterval(() => {
    if (isChecking || stream.isClosed) return;
    isChecking = true;
    recheck()
      .catch((error: unknown) => {
        request.log.warn({ err: error }, "stream role re-check failed; closing the stream");
        const code = error instanceof DomainError ? error.code : ErrorCode.INTERNAL;
        stream.closeWith({ code, message: "The caller's roles could not be re-checked; reconnect shortly" });
      })
      .finally(() => {
        isChecking = false;
      });
  }, reauthMs);

  stream.onClose(() => {
    clearInterval(reauth);
    clearTimeout(expiryTimer);
  });
}
