import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import type { Intent, IntentState, SubmitIntentRequest } from "../../../lib/defix/intents";
import { SubmitIntentRequest as SubmitSchema } from "../../../lib/defix/intents";
import type { Readiness } from "../../../lib/defix/session-keys";
import type { DeploymentManifest } from "../../../lib/deployment/manifest";
import type { ChainRoleDirectoryOptions } from "../../../lib/roles/directory";
import type { ChainReader } from "../chain";
import { type OmsClient, OmsRequestError } from "../oms-client";
import type { VaultSnapshot } from "../rules";

export const VAULT = "0x1000000000000000000000000000000000000001" as const;
export const VAULT_ID = `31337:${VAULT}`;
export const SRC_A = "0x2000000000000000000000000000000000000002" as const;
export const SRC_B = "0x3000000000000000000000000000000000000003" as const;
export const PRIMARY = "0x7000000000000000000000000000000000000007" as const;
export const SECONDARY = "0x8000000000000000000000000000000000000008" as const;
export const VIEWER = "0x9000000000000000000000000000000000000009" as const;
const DEPOSIT_HOOK = "0x4000000000000000000000000000000000000004" as const;
const REDEEM_HOOK = "0x5000000000000000000000000000000000000005" as const;
const b32 = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as `0x${string}`;

function hook(name: "Deposit4626Hook" | "Redeem4626Hook", source: `0x${string}`, n: number) {
  const address = name === "Deposit4626Hook" ? DEPOSIT_HOOK : REDEEM_HOOK;
  return {
    label: name,
    name,
    hook: address,
    hook_args: b32(n),
    yield_source: source,
    leaf: b32(n),
    proof: [b32(n + 1)],
  };
}

/** A one-vault manifest with hooks for both sources; addresses are placeholders (no chain behind them). */
export function fakeManifest(): DeploymentManifest {
  return {
    version: 1,
    chain_id: 31337,
    rpc_url: "http://127.0.0.1:1",
    deployed_at: new Date(0).toISOString(),
    deployer: PRIMARY,
    explorer_url: null,
    contracts: {
      asset: { address: SRC_A, name: "Dev USD", symbol: "dUSD", decimals: 6 },
      registry: SRC_A,
      executor: SRC_A,
      hooks: { deposit4626: DEPOSIT_HOOK, redeem4626: REDEEM_HOOK },
      yield_sources: [],
    },
    vaults: [
      {
        vault_id: VAULT_ID,
        address: VAULT,
        name: "Vault",
        symbol: "V",
        strategy: VAULT,
        primary_manager: PRIMARY,
        secondary_managers: [SECONDARY],
        yield_sources: [SRC_A, SRC_B],
        merkle: {
          root: b32(1),
          tree: {},
          hooks: [
            hook("Deposit4626Hook", SRC_A, 10),
            hook("Deposit4626Hook", SRC_B, 20),
            hook("Redeem4626Hook", SRC_A, 30),
            hook("Redeem4626Hook", SRC_B, 40),
          ],
        },
      },
    ],
    accounts: [],
  };
}

export function fakeChain(snapshot: () => VaultSnapshot): ChainReader {
  return {
    snapshot: async () => snapshot(),
  };
}

/** The registry's answers for every vault: PRIMARY is its primary manager, SECONDARY its one secondary. */
export function fakeRegistry(): ChainRoleDirectoryOptions["client"] {
  const readContract = async ({ functionName }: { functionName: string }) =>
    functionName === "primaryManager" ? PRIMARY : [SECONDARY];
  return { readContract: readContract as unknown as ChainRoleDirectoryOptions["client"]["readContract"] };
}

/** An in-memory OMS: records submissions; tests move intents between states with `advance`. */
export class FakeOms implements OmsClient {
  readonly submitted: SubmitIntentRequest[] = [];
  readonly intents = new Map<string, Intent>();
  ready = true;
  readonly killSwitchReports: { vaultId: string; engaged: boolean }[] = [];

  async reportKillSwitch(vaultId: string, engaged: boolean): Promise<void> {
    this.killSwitchReports.push({ vaultId, engaged });
  }

  async readiness(vaultId: string): Promise<Readiness> {
    return {
      vault_id: vaultId,
      is_ready: this.ready,
      session_key_address: null,
      expires_at: null,
      pending_rotation: false,
      reason: this.ready ? null : "NO_KEY",
      pending_session_key_address: null,
      checked_at: new Date().toISOString(),
    };
  }

  readonly refined: SubmitIntentRequest[] = [];

  /** The fake does not plan: it records what a preview asked for and answers like an OMS that is down. */
  async refineIntent(request: SubmitIntentRequest): Promise<never> {
    this.refined.push(request);
    throw new OmsRequestError(0, "UPSTREAM_UNAVAILABLE", "the fake OMS does not refine");
  }

  async submitIntent(request: SubmitIntentRequest): Promise<Intent> {
    const parsed = SubmitSchema.parse(request);
    this.submitted.push(request);
    const at = new Date().toISOString();
    const intent: Intent = {
      id: randomUUID(),
      vault_id: parsed.vault_id,
      strategy_id: parsed.strategy_id ?? null,
      action: parsed.action,
      objective: parsed.objective,
      account_mode: parsed.account_mode,
      action_config: parsed.action_config,
      state: "RECEIVED",
      status: "Processing",
      seq_num: 1,
      config_hash: b32(99),
      size: null,
      deadline: at,
      created_at: at,
      updated_at: at,
      state_entered_at: at,
      completed_at: null,
      tx_hash: null,
      gas_used: null,
      error: null,
      submitted_by: "svc:strategy-runner",
      approval_status: "not_required",
      authorization: null,
    };
    this.intents.set(intent.id, intent);
    return intent;
  }

  async getIntent(intentId: string): Promise<Intent> {
    const intent = this.intents.get(intentId);
    if (!intent) throw new Error("unknown intent");
    return intent;
  }

  advance(intentId: string, state: IntentState, error: Intent["error"] = null): void {
    const intent = this.intents.get(intentId);
    if (!intent) throw new Error("unknown intent");
    this.intents.set(intentId, { ...intent, state, error });
  }

  /** As the OMS's approval gate does: the intent waits for its quorum (pending), or it was approved. */
  setApproval(intentId: string, status: Intent["approval_status"]): void {
    const intent = this.intents.get(intentId);
    if (!intent) throw new Error("unknown intent");
    this.intents.set(intentId, { ...intent, approval_status: status });
  }
}

/** A throwaway ES256 issuer, so the API is tested with the same verification path as production. */
export async function testIssuer() {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const sign = (subject: string, options: { issuer?: string; expiresIn?: string } = {}) =>
    new SignJWT({})
      .setProtectedHeader({ alg: "ES256" })
      .setIssuer(options.issuer ?? "defix-console")
      .setAudience("defix-oms")
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? "5m")
      .sign(privateKey);
  return { publicJwk, sign };
}
