import type { FastifyRequest } from "fastify";
import { ErrorCode } from "../../lib/defix/errors";
import { DomainError } from "../kernel/errors";
import { grantFor, requireActor } from "./auth";
import type { EventStream } from "./sse";

/** setTimeout fires at once for delays above 2^31-1 ms; a later expiry is re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What one guarded stream does when its caller loses vaults: stop forwarding them, say so or end. */
type DropVaults = (vaultIds: readonly string[]) => void;

/**
 * Every guarded stream of this OMS instance by its caller's subject. A lost role found by one stream's re-check
 * is applied to all of that caller's streams in the same tick: streams re-check on their own timers, and a
 * caller's other stream must not forward an event of a vault one of its streams has already been closed for.
 */
const guardsByServer = new WeakMap<object, Map<string, Set<DropVaults>>>();

function callerGuards(server: object, subject: string): Set<DropVaults> {
  let bySubject = guardsByServer.get(server);
  if (!bySubject) {
    bySubject = new Map();
    guardsByServer.set(server, bySubject);
  }
  let guards = bySubject.get(subject);
  if (!guards) {
    guards = new Set();
    bySubject.set(subject, guards);
  }
  return guards;
}

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
  const drop: DropVaults = (lost) => {
    const removed = lost.filter((vaultId) => vaultIds.delete(vaultId));
    if (stream.isClosed) return;
    if (hadVaults && vaultIds.size === 0) {
      stream.closeWith({ code: ErrorCode.FORBIDDEN, message: "The caller no longer holds a role on these vaults" });
    } else if (removed.length > 0) {
      // No event of these vaults follows; a client holding their rows (the approvals queue) refetches now.
      stream.send({ event: "access_changed", data: { removed_vault_ids: removed } });
    }
  };
  const siblings = callerGuards(request.server, actor.subject);
  siblings.add(drop);
  const recheck = async () => {
    const lost: string[] = [];
    for (const vaultId of [...vaultIds]) {
      if (!(await grantFor(actor, vaultId, directory))) lost.push(vaultId);
    }
    if (lost.length === 0) return;
    for (const dropVaults of siblings) dropVaults(lost);
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
    siblings.delete(drop);
    if (siblings.size === 0) guardsByServer.get(request.server)?.delete(actor.subject);
    clearInterval(reauth);
    clearTimeout(expiryTimer);
  });
}
