import type { Role } from "../../lib/defix/common";
import { vaultAccountMode } from "../../lib/deployment/manifest";
import { EXECUTABLE_ACCOUNT_MODES, USER_OP_MODES } from "../../oms/domain/validate";
import { depositRequest } from "../bench/lib/intents";
import { probes } from "./auth-matrix-probes";
import { actors, type Target } from "./lib/target";

export interface MatrixCell {
  user: string;
  vault: string;
  endpoint: string;
  role: Role | null;
  status: number;
  /** Whether the role allows the call. */
  isAllowed: boolean;
  isCorrect: boolean;
}

const RANK: Record<Role, number> = { VIEW_ONLY: 1, SECONDARY_MANAGER: 2, PRIMARY_MANAGER: 3 };
const REFUSED = new Set([403, 404]);

/**
 * Every (user, vault, endpoint): an allowed call must not be refused with 403/404 and a call without
 * the role must be refused with 403 or 404 (an id of another vault's intent must look absent). The
 * list endpoints without a filter, the vault list and JSON-RPC status must show only visible vaults.
 */
export async function runAuthMatrix(target: Target): Promise<{ cells: MatrixCell[]; leaks: string[] }> {
  const { world, oms } = target;
  const people = actors(world);
  // Vaults whose mode this OMS executes: each needs a setup intent. The matrix's OMS runs without a bundler, so
  // the user-operation (4337) modes' submits are refused there (400 ACCOUNT_MODE_UNSUPPORTED): leave them out.
  const allVaults = world.manifest.vaults;
  const vaults = allVaults.filter((vault) => {
    const mode = vaultAccountMode(vault);
    return EXECUTABLE_ACCOUNT_MODES.includes(mode) && !USER_OP_MODES.includes(mode);
  });
  let seq = Date.now();
  const requestFor = (vaultId: string) => {
    const vault = vaults.find((v) => v.vault_id === vaultId);
    return vault ? depositRequest(vault, seq++) : undefined;
  };
  const intentOf = new Map<string, string>();
  for (const vault of vaults) {
    const headers = {
      authorization: `Bearer ${await world.token(vault.primary_manager)}`,
      "content-type": "application/json",
    };
    const response = await fetch(`${oms.url}/defix/intents`, {
      method: "POST",
      headers,
      body: JSON.stringify(depositRequest(vault, seq++)),
    });
    if (response.status !== 201) throw new Error(`setup submit into ${vault.vault_id} answered ${response.status}`);
    intentOf.set(vault.vault_id, ((await response.json()) as { id: string }).id);
  }
  const roleOf = (user: string, vaultId: string): Role | null => {
    const vault = allVaults.find((v) => v.vault_id === vaultId);
    if (!vault) return null;
    if (vault.primary_manager === user) return "PRIMARY_MANAGER";
    if (vault.secondary_managers.includes(user as `0x${string}`)) return "SECONDARY_MANAGER";
    if (user === people.viewer && vaultId === allVaults[0]?.vault_id) return "VIEW_ONLY";
    return null;
  };
  const cells: MatrixCell[] = [];
  const leaks: string[] = [];
  for (const [name, user] of Object.entries(people)) {
    const headers = { authorization: `Bearer ${await world.token(user)}` };
    const visible = new Set(allVaults.map((v) => v.vault_id).filter((id) => roleOf(user, id) !== null));
    for (const vault of vaults) {
      const role = roleOf(user, vault.vault_id);
      for (const probe of probes(oms.url, requestFor)) {
        const code = await probe.call({
          vaultId: vault.vault_id,
          intentId: intentOf.get(vault.vault_id) ?? "",
          headers,
        });
        const isAllowed = role !== null && RANK[role] >= RANK[probe.minimum];
        const isCorrect = isAllowed ? !REFUSED.has(code) && code < 500 : REFUSED.has(code);
        cells.push({
          user: name,
          vault: vault.name,
          endpoint: probe.endpoint,
          role,
          status: code,
          isAllowed,
          isCorrect,
        });
      }
    }
    // Unfiltered, and through the approvals filter (the setup intents need no approval, so it lists them all).
    for (const query of ["limit=500", "approval_status=not_required&limit=500"]) {
      const list = (await (await fetch(`${oms.url}/defix/intents?${query}`, { headers })).json()) as {
        data: Array<{ vault_id: string }>;
      };
      for (const intent of list.data)
        if (!visible.has(intent.vault_id)) leaks.push(`${name}: GET /defix/intents?${query} shows ${intent.vault_id}`);
    }
    const listed = (await (await fetch(`${oms.url}/defix/vaults`, { headers })).json()) as {
      vaults: Array<{ vault_id: string }>;
    };
    for (const vault of listed.vaults)
      if (!visible.has(vault.vault_id)) leaks.push(`${name}: GET /defix/vaults shows ${vault.vault_id}`);
    const rpc = await fetch(`${oms.url}/rpc`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getIntentStatus", params: [...intentOf.values()] }),
    });
    const statuses = ((await rpc.json()) as { result?: Array<{ vault_id?: string } | null> }).result ?? [];
    for (const entry of statuses) {
      if (entry?.vault_id !== undefined && !visible.has(entry.vault_id))
        leaks.push(`${name}: rpc getIntentStatus shows ${entry.vault_id}`);
    }
  }
  return { cells, leaks };
}

export function printAuthMatrix(result: { cells: MatrixCell[]; leaks: string[] }): boolean {
  const wrong = result.cells.filter((cell) => !cell.isCorrect);
  const crossVault = result.cells.filter((cell) => !cell.isAllowed);
  console.log(`\n== authorization matrix: ${wrong.length === 0 && result.leaks.length === 0 ? "PASS" : "FAIL"}`);
  console.log(
    `  tried: ${result.cells.length} calls (4 users × ${new Set(result.cells.map((c) => c.vault)).size} vaults × ${new Set(result.cells.map((c) => c.endpoint)).size} endpoints), ${crossVault.length} of them without the role`,
  );
  console.log(`  wrongly allowed or wrongly refused: ${wrong.length}`);
  for (const cell of wrong.slice(0, 20)) {
    console.log(
      `    ${cell.user} on ${cell.vault} (${cell.role ?? "no role"}): ${cell.endpoint} → ${cell.status} (expected ${cell.isAllowed ? "allowed" : "403/404"})`,
    );
  }
  console.log(
    `  list/vault/rpc leaks: ${result.leaks.length}${result.leaks.length ? `\n    ${result.leaks.join("\n    ")}` : ""}`,
  );
  return wrong.length === 0 && result.leaks.length === 0;
}
