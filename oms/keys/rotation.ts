import { randomUUID } from "node:crypto";
import type { Address } from "viem";
import { ErrorCode } from "../../lib/defix/errors";
import type { PreparedTransaction, Readiness } from "../../lib/defix/session-keys";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { DomainError } from "../kernel/errors";
import { type ChainHead, grantCalldata, rotateCalldata } from "./executor";
import {
  isoFromChain,
  type KeyActor,
  type OperationContext,
  repeatedExpiry,
  rotationPending,
  stamp,
  withChain,
} from "./operations";
import { isUniqueViolation, type SessionKeyRow } from "./repository";

/**
 * Rotation: a pending replacement key, the one-transaction rotate calldata, and its completion or
 * cancellation. Grant and revoke are in `operations.ts`, which holds what all of them share.
 */

// GET rotation – a pending replacement key and the one-transaction revoke-old + grant-new calldata.
export async function prepareRotation(
  ctx: OperationContext,
  vaultId: string,
  requested: string | undefined,
  actor: KeyActor,
) {
  const vault = ctx.vaultOf(vaultId);
  return withChain(async () => {
    const seconds = ctx.expirySeconds(requested);
    await ctx.evaluate(vault, true);
    const live = await ctx.repository.live(vault.vault_id);
    const head = await ctx.readerOf(vault).head();
    if (live.pendingRotation) return repeatRotation(ctx, vault, live.pendingRotation, actor, head, seconds);
    if (!live.active) {
      throw new DomainError(ErrorCode.NO_SESSION_KEY, "This vault has no session key to rotate; grant one first");
    }
    const old = live.active.address as Address;
    const fresh = ctx.newKey(vault.vault_id);
    const expiry = head.timestamp + seconds;
    const when = stamp(ctx, head);
    const at = when.created_at;
    const row = {
      id: randomUUID(),
      vault_id: vault.vault_id,
      address: fresh.address,
      status: "PENDING_ROTATION" as const,
      encrypted_key: fresh.encrypted,
      requested_expires_at: isoFromChain(expiry),
      replaces_address: old,
      created_at: at,
      updated_at: at,
    };
    const action = {
      vault_id: vault.vault_id,
      type: "ROTATION_PREPARED" as const,
      session_key_address: fresh.address,
      actor: actor.subject,
      expires_at: isoFromChain(expiry),
      ...when,
    };
    try {
      // A grant that never reached the chain is superseded by the rotation.
      await ctx.repository.insertPending(row, action, live.pendingGrant?.id);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // A concurrent request created the pending rotation first: the same manager's twin gets that one.
      const winner = (await ctx.repository.live(vault.vault_id)).pendingRotation;
      if (!winner) throw rotationPending();
      return repeatRotation(ctx, vault, winner, actor, head, seconds);
    }
    ctx.invalidate(vault.vault_id);
    return rotationTransaction(ctx, vault, old, fresh.address, expiry);
  });
}

/** The pending rotation's calldata again for its own manager's repeat; anyone else gets 409 ROTATION_PENDING. */
async function repeatRotation(
  ctx: OperationContext,
  vault: ManifestVault,
  pending: SessionKeyRow,
  actor: KeyActor,
  head: ChainHead,
  seconds: bigint,
): Promise<PreparedTransaction> {
  const repeat = await repeatedExpiry(ctx, vault.vault_id, "ROTATION_PREPARED", pending.address, actor, head, seconds);
  if (!repeat?.expiry || pending.replaces_address === null) throw rotationPending();
  // Once the rotation mined, its calldata would only revert: the manager completes it instead.
  if (await ctx.readerOf(vault).isValid(vault.strategy as Address, pending.address as Address)) throw rotationPending();
  return rotationTransaction(
    ctx,
    vault,
    pending.replaces_address as Address,
    pending.address as Address,
    repeat.expiry,
  );
}

async function rotationTransaction(
  ctx: OperationContext,
  vault: ManifestVault,
  old: Address,
  fresh: Address,
  expiry: bigint,
): Promise<PreparedTransaction> {
  // rotateSessionKey reverts for a key the chain never saw (e.g. a reset dev chain); a plain grant still works.
  const oldOnChain = await ctx.readerOf(vault).key(vault.strategy as Address, old);
  const data =
    oldOnChain.status === "NONE"
      ? grantCalldata(vault.strategy as Address, fresh, expiry)
      : rotateCalldata(vault.strategy as Address, old, fresh, expiry);
  return ctx.prepared(vault, data, ctx.gasStipendWei, fresh, expiry);
}

function noPendingRotation(): DomainError {
  return new DomainError(ErrorCode.NO_PENDING_ROTATION, "There is no pending rotation for this vault");
}

// POST rotation/complete – promotes the pending key once the chain shows it valid.
export async function completeRotation(ctx: OperationContext, vaultId: string, actor: KeyActor): Promise<Readiness> {
  const vault = ctx.vaultOf(vaultId);
  return withChain(async () => {
    const pending = (await ctx.repository.live(vault.vault_id)).pendingRotation;
    if (!pending) throw noPendingRotation();
    if (!(await ctx.readerOf(vault).isValid(vault.strategy as Address, pending.address as Address))) {
      throw new DomainError(
        ErrorCode.ROTATION_NOT_ON_CHAIN,
        "The new session key is not yet on-chain: wait for the rotation transaction to be mined, then complete again",
        { session_key_address: pending.address },
      );
    }
    const when = stamp(ctx, await ctx.readerOf(vault).head());
    const promoted = await ctx.repository.promote(vault.vault_id, pending.id, "PENDING_ROTATION", when.created_at, {
      vault_id: vault.vault_id,
      type: "ROTATED",
      session_key_address: pending.address,
      actor: actor.subject,
      expires_at: pending.requested_expires_at,
      ...when,
    });
    if (!promoted) throw noPendingRotation();
    ctx.invalidate(vault.vault_id);
    return (await ctx.evaluate(vault, true)).readiness;
  });
}

// POST rotation/cancel – discards a pending key that never became valid on-chain.
export async function cancelRotation(ctx: OperationContext, vaultId: string, actor: KeyActor): Promise<Readiness> {
  const vault = ctx.vaultOf(vaultId);
  return withChain(async () => {
    const pending = (await ctx.repository.live(vault.vault_id)).pendingRotation;
    if (!pending) throw noPendingRotation();
    if (await ctx.readerOf(vault).isValid(vault.strategy as Address, pending.address as Address)) {
      throw new DomainError(
        ErrorCode.ROTATION_ALREADY_ON_CHAIN,
        "The rotation transaction already mined and the new key is valid on-chain: complete the rotation instead",
        { session_key_address: pending.address },
      );
    }
    const when = stamp(ctx, await ctx.readerOf(vault).head());
    const discarded = await ctx.repository.discard(pending.id, when.created_at, {
      vault_id: vault.vault_id,
      type: "ROTATION_CANCELED",
      session_key_address: pending.address,
      actor: actor.subject,
      expires_at: null,
      ...when,
    });
    if (!discarded) throw noPendingRotation();
    ctx.invalidate(vault.vault_id);
    return (await ctx.evaluate(vault, true)).readiness;
  });
}
