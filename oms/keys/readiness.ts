import type { Address } from "viem";
import type { Readiness } from "../../lib/defix/session-keys";
import { grantedKeys, strategyEvents } from "./chain-events";
import { type ExecutorReader, notReadyReason, type OnChainKey } from "./executor";
import type { SessionKeyRepository, SessionKeyRow } from "./repository";

export interface ReadinessContext {
  vaultId: string;
  strategy: Address;
  repository: SessionKeyRepository;
  reader: ExecutorReader;
  /** Finds a valid key the OMS does not hold; only asked when no held key is valid. */
  foreignValidKey(held: Set<string>): Promise<OnChainKey | null>;
  /** The signing key's ETH and the least it must hold to be worth signing with (see `gasFunding`). */
  gasFunding(key: Address): Promise<GasFunding>;
  now(): Date;
}

export interface GasFunding {
  balance: bigint;
  required: bigint;
  /** What readiness says when `balance < required`: the key's ETH, or the 4337 account's EntryPoint deposit. */
  shortReason: "INSUFFICIENT_GAS" | "INSUFFICIENT_DEPOSIT";
}

/** A readiness answer plus the stored key that may sign right now (never serialised). */
export interface Evaluation {
  readiness: Readiness;
  signer: SessionKeyRow | null;
}

function isoFromChain(seconds: bigint): string | null {
  return seconds > 0n ? new Date(Number(seconds) * 1000).toISOString() : null;
}

/**
 * Reads the held keys' status on-chain, promotes a pending grant the chain now shows valid, and
 * answers readiness. The chain decides; the store only says which keys the OMS can sign with.
 */
export async function evaluateReadiness(context: ReadinessContext): Promise<Evaluation> {
  const { vaultId, strategy, repository, reader } = context;
  let live = await repository.live(vaultId);
  const [active, pendingGrant, pendingRotation] = await Promise.all(
    [live.active, live.pendingGrant, live.pendingRotation].map((row) =>
      row ? reader.key(strategy, row.address as Address) : Promise.resolve(null),
    ),
  );
  let activeKey = active ?? null;
  if (live.pendingGrant && pendingGrant?.status === "VALID") {
    await repository.promote(vaultId, live.pendingGrant.id, "PENDING_GRANT", context.now().toISOString());
    live = await repository.live(vaultId);
    activeKey = live.active ? await reader.key(strategy, live.active.address as Address) : null;
  }
  const pending = live.pendingRotation ?? live.pendingGrant;
  const base = {
    vault_id: vaultId,
    pending_rotation: live.pendingRotation !== null,
    pending_session_key_address: pending ? (pending.address as Address) : null,
    checked_at: context.now().toISOString(),
  };

  // Once the rotation transaction mined the old key is revoked and the new one already valid;
  // signing with it keeps automation running until the manager completes the rotation.
  const signerRow =
    activeKey?.status === "VALID" ? live.active : pendingRotation?.status === "VALID" ? live.pendingRotation : null;
  const signerKey =
    activeKey?.status === "VALID" ? activeKey : pendingRotation?.status === "VALID" ? pendingRotation : null;
  if (signerRow && signerKey) {
    // A key that cannot pay gas would have the node refuse every transaction, and a refused nonce
    // blocks every later one: report it as not ready so the engine waits instead of signing.
    const funding = await context.gasFunding(signerKey.address);
    const isFunded = funding.balance >= funding.required;
    return {
      readiness: {
        ...base,
        is_ready: isFunded,
        session_key_address: signerKey.address,
        expires_at: isoFromChain(signerKey.expiry),
        reason: isFunded ? null : funding.shortReason,
        balance_wei: funding.balance.toString(),
        required_wei: funding.required.toString(),
      },
      signer: isFunded ? signerRow : null,
    };
  }

  // A rotation cancelled while its transaction was unmined can still mine: the key it granted is ours
  // (the OMS keeps discarded keys' sealed material), so it becomes the active key again.
  if (await reviveDiscarded(context)) return evaluateReadiness(context);

  const foreign = await context.foreignValidKey(await repository.heldAddresses(vaultId));
  if (foreign) {
    return {
      readiness: {
        ...base,
        is_ready: false,
        session_key_address: foreign.address,
        expires_at: isoFromChain(foreign.expiry),
        reason: "KEY_NOT_HELD",
      },
      signer: null,
    };
  }
  if (live.active && activeKey) {
    return {
      readiness: {
        ...base,
        is_ready: false,
        session_key_address: activeKey.address,
        expires_at: isoFromChain(activeKey.expiry),
        reason: notReadyReason(activeKey.status),
      },
      signer: null,
    };
  }
  return {
    readiness: { ...base, is_ready: false, session_key_address: null, expires_at: null, reason: "NO_KEY" },
    signer: null,
  };
}

/** Promotes the newest discarded key the chain shows valid; whether one was. */
async function reviveDiscarded(context: ReadinessContext): Promise<boolean> {
  const { vaultId, strategy, repository, reader } = context;
  for (const row of await repository.discarded(vaultId, 5)) {
    const onChain = await reader.key(strategy, row.address as Address);
    if (onChain.status !== "VALID") continue;
    return repository.promote(vaultId, row.id, "DISCARDED", context.now().toISOString());
  }
  return false;
}

/** The most recently granted key of the strategy that is valid and not in `held`. */
export async function findForeignValidKey(
  context: {
    client: Parameters<typeof strategyEvents>[0];
    executor: Address;
    strategy: Address;
    fromBlock: bigint;
    reader: ExecutorReader;
  },
  held: Set<string>,
): Promise<OnChainKey | null> {
  const events = await strategyEvents(context.client, context.executor, context.strategy, context.fromBlock);
  for (const key of grantedKeys(events)) {
    if (held.has(key)) continue;
    const onChain = await context.reader.key(context.strategy, key);
    if (onChain.status === "VALID") return onChain;
  }
  return null;
}
