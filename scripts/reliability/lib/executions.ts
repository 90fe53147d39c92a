import { createPublicClient, getAddress, http } from "viem";
import { entryPoint08Abi } from "viem/account-abstraction";
import { superVaultAbi } from "../../../contracts/generated/abis";
import { type DeploymentManifest, type ManifestVault, vaultAccountMode } from "../../../lib/deployment/manifest";
import { nonceKeyOf } from "../../../oms/chain/user-ops";

/** One intent of the run as the database holds it. */
export interface RunIntent {
  id: string;
  state: string;
  vault_id: string;
}

export interface ExecutionReport {
  /** Hook executions the vaults emitted (`HookExecuted`) since the run started. */
  hookExecutions: number;
  /** User operations of the run's 4337 accounts the EntryPoint executed (`UserOperationEvent`). */
  userOps: number;
  /** 4337 intents whose nonce lane the EntryPoint used more than once (a double execution). */
  multiExecuted: string[];
  /** COMPLETED 4337 intents without exactly one successful `UserOperationEvent` on their lane. */
  completedWithoutOp: string[];
  /** What the chain did that the database does not account for (see checkExecutions). */
  problems: string[];
}

const isUserOpMode = (vault: ManifestVault) =>
  vaultAccountMode(vault) === "EIP4337" || vaultAccountMode(vault) === "EIP4337_COMPANION";

/**
 * Counts executions on the chain itself, independent of the OMS's attempts: every DEPOSIT intent runs one hook, so
 * the vault's `HookExecuted` logs since `fromBlock` must equal its COMPLETED intents (none executed twice, none
 * executed behind a FAILED/EXPIRED record). For a 4337 vault every intent owns one EntryPoint nonce lane
 * (`nonceKeyOf(id)`, docs/ARCHITECTURE.md "Account modes"): its account's `UserOperationEvent`s are grouped by lane,
 * and each lane may execute at most once, exactly once (successfully) for a COMPLETED intent, never for another
 * state, and never for a lane no intent owns.
 */
export async function checkExecutions(
  rpcUrl: string,
  manifest: DeploymentManifest,
  intents: readonly RunIntent[],
  fromBlock: bigint,
): Promise<ExecutionReport> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const report: ExecutionReport = {
    hookExecutions: 0,
    userOps: 0,
    multiExecuted: [],
    completedWithoutOp: [],
    problems: [],
  };
  const vaultIds = new Set(intents.map((intent) => intent.vault_id));
  for (const vault of manifest.vaults.filter((v) => vaultIds.has(v.vault_id))) {
    const own = intents.filter((intent) => intent.vault_id === vault.vault_id);
    const hooks = await client.getContractEvents({
      address: vault.address,
      abi: superVaultAbi,
      eventName: "HookExecuted",
      fromBlock,
    });
    report.hookExecutions += hooks.length;
    const completed = own.filter((intent) => intent.state === "COMPLETED").length;
    if (hooks.length !== completed) {
      report.problems.push(
        `${vault.vault_id} (${vaultAccountMode(vault)}): ${hooks.length} hook executions on-chain but ${completed} COMPLETED intents`,
      );
    }
    if (isUserOpMode(vault)) await checkLanes(client, manifest, vault, own, fromBlock, report);
  }
  return report;
}

async function checkLanes(
  client: ReturnType<typeof createPublicClient>,
  manifest: DeploymentManifest,
  vault: ManifestVault,
  intents: readonly RunIntent[],
  fromBlock: bigint,
  report: ExecutionReport,
): Promise<void> {
  const entryPoint = manifest.contracts.entry_point;
  if (entryPoint === undefined) throw new Error("a 4337 vault in a manifest without contracts.entry_point");
  const sender = getAddress(vault.key_holder ?? manifest.contracts.executor);
  const ops = await client.getContractEvents({
    address: entryPoint,
    abi: entryPoint08Abi,
    eventName: "UserOperationEvent",
    args: { sender },
    fromBlock,
  });
  report.userOps += ops.length;
  const laneOf = new Map(intents.map((intent) => [nonceKeyOf(intent.id), intent]));
  const byLane = new Map<bigint, { total: number; succeeded: number }>();
  for (const op of ops) {
    const lane = (op.args.nonce ?? 0n) >> 64n;
    const count = byLane.get(lane) ?? { total: 0, succeeded: 0 };
    count.total += 1;
    if (op.args.success) count.succeeded += 1;
    byLane.set(lane, count);
    if (!laneOf.has(lane)) report.problems.push(`${sender}: a user op on lane ${lane} that no intent owns`);
  }
  for (const [lane, intent] of laneOf) {
    const count = byLane.get(lane) ?? { total: 0, succeeded: 0 };
    if (count.total > 1) report.multiExecuted.push(intent.id);
    if (intent.state === "COMPLETED" && count.succeeded !== 1) report.completedWithoutOp.push(intent.id);
    if (intent.state !== "COMPLETED" && count.succeeded > 0)
      report.problems.push(`${intent.id} is ${intent.state} but its user op executed`);
  }
}

export function isExecutionClean(report: ExecutionReport): boolean {
  return report.multiExecuted.length === 0 && report.completedWithoutOp.length === 0 && report.problems.length === 0;
}
