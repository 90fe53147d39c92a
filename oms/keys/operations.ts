import { randomUUID } from "node:crypto";
import { type Address, BaseError } from "viem";
import { ErrorCode } from "../../lib/defix/errors";
import type { PreparedTransaction } from "../../lib/defix/session-keys";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { DomainError } from "../kernel/errors";
import { type ChainHead, type ExecutorReader, grantCalldata, revokeCalldata } from "./executor";
import type { Evaluation } from "./readiness";
import { isUniqueViolation, type SessionKeyRepository } from "./repository";

/** What the prepare/complete/cancel operations share with the service that builds them. */
export interface OperationContext {
  repository: SessionKeyRepository;
  /** Reads of the contract holding `vault`'s session keys (executor, vault account, companion or 7702 EOA). */
  readerOf(vault: ManifestVault): ExecutorReader;
  gasStipendWei: bigint;
  clock(): Date;
  vaultOf(vaultId: string): ManifestVault;
  evaluate(vault: ManifestVault, fresh?: boolean): Promise<Evaluation>;
  invalidate(vaultId: string): void;
  /** Validated before anything is read or written, so bad input changes nothing. */
  expirySeconds(requestedExpiry: string | undefined): bigint;
  newKey(vaultId: string): { address: Address; encrypted: string };
  /** A transaction to `vault`'s key holder. */
  prepared(
    vault: ManifestVault,
    data: `0x${string}`,
    value: bigint,
    key: Address | null,
    expiry: bigint | null,
  ): PreparedTransaction;
}

export interface KeyActor {
  subject: string;
}

export const isoFromChain = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();

/** When an action happened, on both clocks: wall time for people, the chain head for ordering. */
export function stamp(ctx: OperationContext, head: ChainHead) {
  return {
    created_at: ctx.clock().toISOString(),
    chain_block: head.number.toString(),
    chain_timestamp: head.timestamp.toString(),
  };
}

export function isChainError(error: unknown): error is BaseError {
  return error instanceof BaseError;
}

/** Prepare endpoints read the chain; when it does not answer the caller gets 503, not a half-made key. */
export async function withChain<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isChainError(error)) throw error;
    throw new DomainError(ErrorCode.CHAIN_UNAVAILABLE, "The chain did not answer; try again shortly", {
      reason: error.shortMessage,
    });
  }
}

/** Chain seconds within which a prepare repeated by the same manager is answered with the same calldata. */
export const REPEAT_WINDOW_SECONDS = 600n;

/**
 * A prepare is a GET (the seed's method): reloads, retries and double clicks repeat it. When the same
 * manager asks for the same duration again within the window, the earlier answer stands: nothing is
 * written (no new key, no refreshed expiry, no audit row) and the same expiry is returned, so the
 * calldata is byte-for-byte the same. Returns that expiry, or null when this is a new prepare.
 */
export async function repeatedExpiry(
  ctx: OperationContext,
  vaultId: string,
  type: "PREPARED" | "ROTATION_PREPARED" | "REVOKE_PREPARED",
  address: string,
  actor: KeyActor,
  head: ChainHead,
  seconds: bigint | null,
): Promise<{ expiry: bigint | null } | null> {
  const last = await ctx.repository.lastAction(vaultId, type, address);
  if (last === null || last.actor !== actor.subject) return null;
  const preparedAt = BigInt(last.chain_timestamp);
  if (head.timestamp - preparedAt >= REPEAT_WINDOW_SECONDS) return null;
  if (seconds === null) return last.expires_at === null ? { expiry: null } : null;
  if (last.expires_at === null) return null;
  const expiry = BigInt(Math.floor(Date.parse(last.expires_at) / 1000));
  return expiry - preparedAt === seconds ? { expiry } : null;
}

export function rotationPending(): DomainError {
  return new DomainError(
    ErrorCode.ROTATION_PENDING,
    "A rotation is already pending for this vault: send its transaction and complete it, or cancel it first",
  );
}

// GET grant – a pending key the OMS holds and the calldata that grants it.
export async function prepareGrant(
  ctx: OperationContext,
  vaultId: string,
  requested: string | undefined,
  actor: KeyActor,
) {
  const vault = ctx.vaultOf(vaultId);
  return withChain(async () => {
    const seconds = ctx.expirySeconds(requested);
    const { readiness, signer } = await ctx.evaluate(vault, true);
    if (readiness.reason === "DELEGATION_MISSING") {
      throw new DomainError(
        ErrorCode.DELEGATION_MISSING,
        "The strategy EOA does not delegate to the EIP-7702 account implementation; sign the authorization first",
      );
    }
    if (readiness.pending_rotation) throw rotationPending();
    if (signer) {
      throw new DomainError(
        ErrorCode.CONFLICT,
        "This vault already has a valid session key; rotate it to renew, or revoke it first",
      );
    }
    const head = await ctx.readerOf(vault).head();
    const expiry = head.timestamp + seconds;
    const when = stamp(ctx, head);
    const at = when.created_at;
    const action = (address: string) => ({
      vault_id: vault.vault_id,
      type: "PREPARED" as const,
      session_key_address: address,
      actor: actor.subject,
      expires_at: isoFromChain(expiry),
      ...when,
    });
    let key = (await ctx.repository.live(vault.vault_id)).pendingGrant;
    let isNew = false;
    if (!key) {
      const fresh = ctx.newKey(vault.vault_id);
      const row = {
        id: randomUUID(),
        vault_id: vault.vault_id,
        address: fresh.address,
        status: "PENDING_GRANT" as const,
        encrypted_key: fresh.encrypted,
        requested_expires_at: isoFromChain(expiry),
        replaces_address: null,
        created_at: at,
        updated_at: at,
      };
      try {
        await ctx.repository.insertPending(row, action(row.address));
        key = row;
        isNew = true;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // Another request created the pending key first: hand out that one so only one key is pending.
        const live = await ctx.repository.live(vault.vault_id);
        if (!live.pendingGrant) throw rotationPending();
        key = live.pendingGrant;
      }
    }
    if (!isNew) {
      const repeat = await repeatedExpiry(ctx, vault.vault_id, "PREPARED", key.address, actor, head, seconds);
      if (repeat?.expiry) return grantTransaction(ctx, vault, key.address as Address, repeat.expiry);
      // Same pending key, fresh expiry: a manager who reopens the gate gets calldata for the key the OMS holds.
      await ctx.repository.refreshPending(key.id, isoFromChain(expiry), at, action(key.address));
    }
    ctx.invalidate(vault.vault_id);
    return grantTransaction(ctx, vault, key.address as Address, expiry);
  });
}

const grantTransaction = (ctx: OperationContext, vault: ManifestVault, key: Address, expiry: bigint) =>
  ctx.prepared(vault, grantCalldata(vault.strategy as Address, key, expiry), ctx.gasStipendWei, key, expiry);

// GET revoke – calldata revoking the key the chain currently honours for this vault.
export async function prepareRevoke(ctx: OperationContext, vaultId: string, actor: KeyActor) {
  const vault = ctx.vaultOf(vaultId);
  return withChain(async () => {
    const { readiness } = await ctx.evaluate(vault, true);
    const live = await ctx.repository.live(vault.vault_id);
    // The ready key, else a valid key the OMS does not hold, else the last active one if the chain knows it.
    let target = readiness.is_ready || readiness.reason === "KEY_NOT_HELD" ? readiness.session_key_address : null;
    if (!target && live.active) {
      const onChain = await ctx.readerOf(vault).key(vault.strategy as Address, live.active.address as Address);
      if (onChain.status !== "NONE") target = onChain.address;
    }
    if (!target) throw new DomainError(ErrorCode.NO_SESSION_KEY, "This vault has no session key to revoke");
    const head = await ctx.readerOf(vault).head();
    if (!(await repeatedExpiry(ctx, vault.vault_id, "REVOKE_PREPARED", target, actor, head, null))) {
      await ctx.repository.addAction({
        vault_id: vault.vault_id,
        type: "REVOKE_PREPARED",
        session_key_address: target,
        actor: actor.subject,
        expires_at: null,
        ...stamp(ctx, head),
      });
      ctx.invalidate(vault.vault_id);
    }
    return ctx.prepared(vault, revokeCalldata(vault.strategy as Address, target), 0n, target, null);
  });
}
