import type { Kysely } from "kysely";
import { type Address, type LocalAccount, type PublicClient, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { z } from "zod";
import { VaultId } from "../../lib/defix/common";
import { ErrorCode } from "../../lib/defix/errors";
import type { PreparedTransaction, Readiness, SessionKeyHistoryEntry } from "../../lib/defix/session-keys";
import { type DeploymentManifest, type ManifestVault, sessionKeyHolder } from "../../lib/deployment/manifest";
import type { SessionKeyProvider } from "../domain/session-key-provider";
import { DomainError } from "../kernel/errors";
import { decryptPrivateKey, encryptPrivateKey } from "./crypto";
import { DEFAULT_EXPIRY_BOUNDS, type ExpiryBounds, parseRequestedExpiry } from "./duration";
import { type ExecutorReader, executorReader } from "./executor";
import { sessionKeyHistory } from "./history";
import { type LimitOperations, limitOperations } from "./limit-operations";
import { type KeyActor, type OperationContext, prepareGrant, prepareRevoke, withChain } from "./operations";
import type { Evaluation } from "./readiness";
import { sessionKeyRepository } from "./repository";
import { cancelRotation, completeRotation, prepareRotation } from "./rotation";
import { sessionKeyDb } from "./schema";
import { vaultReadiness } from "./vault-readiness";

export interface SessionKeyServiceConfig {
  /** Wei sent with a grant or rotation; the executor forwards it to the new key as gas money. */
  gasStipendWei: bigint;
  expiry: ExpiryBounds;
  /** ≤ 5 s per the architecture; 0 disables caching (tests that move the chain under the OMS). */
  readinessCacheMs: number;
  /** First block the executor's logs are scanned from (its deployment block on long chains). */
  logsFromBlock: bigint;
  historyLimit: number;
  /**
   * Gas one execution may cost at most (a generous bound on `executeHooks` with a few hooks; the
   * engine's plans use ~1.2× the estimate). With `gasReserveExecutions` it sets the balance below
   * which readiness says INSUFFICIENT_GAS.
   */
  executionGasBudget: bigint;
  /** Executions the key must be able to pay for at the current max fee per gas to count as ready. */
  gasReserveExecutions: bigint;
}

export const DEFAULT_SESSION_KEY_CONFIG: SessionKeyServiceConfig = {
  gasStipendWei: parseEther("0.05"),
  expiry: DEFAULT_EXPIRY_BOUNDS,
  readinessCacheMs: 5_000,
  logsFromBlock: 0n,
  historyLimit: 500,
  executionGasBudget: 1_000_000n,
  gasReserveExecutions: 3n,
};

export interface SessionKeyServiceDeps<DB> {
  db: Kysely<DB>;
  client: PublicClient;
  manifest: DeploymentManifest;
  /** 32 bytes; see `resolveMasterKey`. */
  masterKey: Uint8Array;
  clock?: () => Date;
  config?: Partial<SessionKeyServiceConfig>;
  logger?: { warn(message: string): void };
}

export type { KeyActor };

export type HistoryEntry = z.output<typeof SessionKeyHistoryEntry>;

export interface SessionKeyService extends SessionKeyProvider {
  /** Prepared calldata for the on-chain pause, guardians and budgets (issue 20). */
  limits: LimitOperations;
  prepareGrant(vaultId: string, requestedExpiry: string | undefined, actor: KeyActor): Promise<PreparedTransaction>;
  prepareRotation(vaultId: string, requestedExpiry: string | undefined, actor: KeyActor): Promise<PreparedTransaction>;
  completeRotation(vaultId: string, actor: KeyActor): Promise<Readiness>;
  cancelRotation(vaultId: string, actor: KeyActor): Promise<Readiness>;
  prepareRevoke(vaultId: string, actor: KeyActor): Promise<PreparedTransaction>;
  history(vaultId: string): Promise<HistoryEntry[]>;
  /** Opens every live stored key; call at start so a wrong master key stops the boot, not the first intent. */
  verifyKeyStore(): Promise<void>;
}

export function createSessionKeyService<DB>(deps: SessionKeyServiceDeps<DB>): SessionKeyService {
  const config = { ...DEFAULT_SESSION_KEY_CONFIG, ...deps.config };
  const clock = deps.clock ?? (() => new Date());
  const db = sessionKeyDb(deps.db);
  const repository = sessionKeyRepository(db);
  const readers = new Map<string, ExecutorReader>();
  /** Every mode's key holder speaks the executor's session-key ABI (docs/ARCHITECTURE.md, "Account modes"). */
  const holderOf = (vault: ManifestVault) => sessionKeyHolder(deps.manifest, vault).toLowerCase() as Address;
  function readerOf(vault: ManifestVault): ExecutorReader {
    const holder = holderOf(vault);
    let reader = readers.get(holder);
    if (!reader) {
      reader = executorReader(deps.client, holder);
      readers.set(holder, reader);
    }
    return reader;
  }
  const chainId = deps.manifest.chain_id;
  const cache = new Map<string, { at: number; evaluation: Promise<Evaluation> }>();

  function vaultOf(vaultId: string): ManifestVault {
    const parsed = VaultId.safeParse(vaultId);
    if (!parsed.success)
      throw new DomainError(ErrorCode.VALIDATION_FAILED, "vault_id must be {chainId}:{0x vault address}");
    const vault = deps.manifest.vaults.find((candidate) => candidate.vault_id.toLowerCase() === parsed.data);
    if (!vault) throw new DomainError(ErrorCode.VAULT_NOT_FOUND, `Vault ${parsed.data} is not known to this OMS`);
    return vault;
  }

  const evaluateUncached = vaultReadiness({
    client: deps.client,
    manifest: deps.manifest,
    repository,
    readerOf,
    holderOf,
    clock,
    logsFromBlock: config.logsFromBlock,
    executionGasBudget: config.executionGasBudget,
    gasReserveExecutions: config.gasReserveExecutions,
    logger: deps.logger,
  });

  function evaluate(vault: ManifestVault, fresh = false): Promise<Evaluation> {
    const cached = cache.get(vault.vault_id);
    const now = Date.now();
    if (!fresh && cached && now - cached.at < config.readinessCacheMs) return cached.evaluation;
    const entry = { at: now, evaluation: evaluateUncached(vault) };
    cache.set(vault.vault_id, entry);
    // A failed evaluation must not be served from the cache; the caller still sees the rejection.
    entry.evaluation.catch(() => {
      if (cache.get(vault.vault_id) === entry) cache.delete(vault.vault_id);
    });
    return entry.evaluation;
  }

  const invalidate = (vaultId: string) => cache.delete(vaultId);

  function expirySeconds(requestedExpiry: string | undefined): bigint {
    return BigInt(parseRequestedExpiry(requestedExpiry, config.expiry));
  }

  function newKey(vaultId: string) {
    const privateKey = generatePrivateKey();
    const address = privateKeyToAccount(privateKey).address.toLowerCase() as Address;
    return { address, encrypted: encryptPrivateKey(deps.masterKey, vaultId, address, privateKey) };
  }

  function prepared(
    vault: ManifestVault,
    data: `0x${string}`,
    value: bigint,
    key: Address | null,
    expiry: bigint | null,
  ): PreparedTransaction {
    return {
      to: holderOf(vault),
      data,
      value: value.toString(),
      chain_id: chainId,
      session_key_address: key,
      expires_at: expiry === null ? null : new Date(Number(expiry) * 1000).toISOString(),
    };
  }

  function signerAccount(vaultId: string, row: { address: string; encrypted_key: string }): LocalAccount {
    return privateKeyToAccount(decryptPrivateKey(deps.masterKey, vaultId, row.address, row.encrypted_key));
  }

  /**
   * The account of each vault's signing key, derived (decrypted, public key computed: ~1–2 ms) once per stored key
   * rather than on every signature. Which key signs is still decided on every call (`evaluate`): an entry is only ever
   * returned for the exact key row that call chose, is replaced when another key signs for the vault, and dropped when
   * none may, so a rotated or revoked key's account is not kept.
   */
  const signers = new Map<string, { sealed: string; account: LocalAccount }>();
  function currentSigner(
    vaultId: string,
    row: { vault_id: string; address: string; encrypted_key: string } | null,
  ): LocalAccount | null {
    if (row === null) {
      signers.delete(vaultId);
      return null;
    }
    const known = signers.get(vaultId);
    if (known !== undefined && known.sealed === row.encrypted_key) return known.account;
    const account = signerAccount(row.vault_id, row);
    signers.set(vaultId, { sealed: row.encrypted_key, account });
    return account;
  }

  const context: OperationContext = {
    repository,
    readerOf,
    gasStipendWei: config.gasStipendWei,
    clock,
    vaultOf,
    evaluate,
    invalidate,
    expirySeconds,
    newKey,
    prepared,
  };
  return {
    limits: limitOperations({
      ctx: context,
      client: deps.client,
      registry: deps.manifest.contracts.registry,
      holderOf,
      chainId,
    }),
    async readiness(vaultId) {
      return (await evaluate(vaultOf(vaultId))).readiness;
    },
    async signerFor(vaultId) {
      const { signer } = await evaluate(vaultOf(vaultId));
      return currentSigner(vaultId, signer ?? null);
    },
    executionMined: invalidate,
    prepareGrant: (vaultId, requestedExpiry, actor) => prepareGrant(context, vaultId, requestedExpiry, actor),
    prepareRotation: (vaultId, requestedExpiry, actor) => prepareRotation(context, vaultId, requestedExpiry, actor),
    completeRotation: (vaultId, actor) => completeRotation(context, vaultId, actor),
    cancelRotation: (vaultId, actor) => cancelRotation(context, vaultId, actor),
    prepareRevoke: (vaultId, actor) => prepareRevoke(context, vaultId, actor),
    async history(vaultId) {
      const vault = vaultOf(vaultId);
      const actions = await repository.actions(vault.vault_id, config.historyLimit);
      return withChain(() =>
        sessionKeyHistory({
          client: deps.client,
          executor: holderOf(vault),
          registry: deps.manifest.contracts.registry,
          strategy: vault.strategy as Address,
          fromBlock: config.logsFromBlock,
          vaultId: vault.vault_id,
          actions,
          limit: config.historyLimit,
        }),
      );
    },
    async verifyKeyStore() {
      for (const vault of deps.manifest.vaults) {
        const live = await repository.live(vault.vault_id);
        for (const row of [live.active, live.pendingGrant, live.pendingRotation])
          if (row) signerAccount(vault.vault_id, row);
      }
    },
  };
}
