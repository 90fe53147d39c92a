import type { Role } from "../../lib/defix/common";
import { ERROR_STATUS } from "../../lib/defix/domain-error";
import type { ErrorCode } from "../../lib/defix/errors";

/** One endpoint of the authorization matrix: the least role that may call it, and the call. */
export interface Probe {
  endpoint: string;
  minimum: Role;
  call(ctx: { vaultId: string; intentId: string; headers: Record<string, string> }): Promise<number>;
}

/** Status of a request; streams are cancelled as soon as the status line is in. */
async function status(url: string, init: RequestInit): Promise<number> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  await response.body?.cancel();
  return response.status;
}

/**
 * Every endpoint the matrix probes. The approval decisions use the vault's setup intent, which needs no approval:
 * anyone with a role gets 409 APPROVAL_NOT_PENDING, everyone else 403/404.
 */
export function probes(base: string, depositRequestFor: (vaultId: string) => unknown): Probe[] {
  const get = (path: string, headers: Record<string, string>) => status(`${base}${path}`, { headers });
  const post = (path: string, headers: Record<string, string>, body?: unknown) =>
    status(`${base}${path}`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(body ?? {}),
    });
  // A JSON-RPC refusal is an `error` whose `data.code` is the DeFiX code: judged by that code's REST status.
  const rpc = async (method: string, params: unknown, headers: Record<string, string>) => {
    const response = await fetch(`${base}/rpc`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { error?: { data?: { code?: string } } };
    const code = body.error?.data?.code;
    return code !== undefined && code in ERROR_STATUS ? ERROR_STATUS[code as ErrorCode] : response.status;
  };
  const key = (vaultId: string) => `/defix/vaults/${vaultId}/session-key`;
  return [
    {
      endpoint: "GET /defix/intents?vault_id",
      minimum: "VIEW_ONLY",
      call: (c) => get(`/defix/intents?vault_id=${c.vaultId}`, c.headers),
    },
    {
      endpoint: "GET /defix/intents/{id}",
      minimum: "VIEW_ONLY",
      call: (c) => get(`/defix/intents/${c.intentId}`, c.headers),
    },
    {
      endpoint: "GET /defix/intents/{id}/events",
      minimum: "VIEW_ONLY",
      call: (c) => get(`/defix/intents/${c.intentId}/events`, c.headers),
    },
    {
      endpoint: "GET /defix/intents/{id}/fills",
      minimum: "VIEW_ONLY",
      call: (c) => get(`/defix/intents/${c.intentId}/fills`, c.headers),
    },
    {
      endpoint: "GET /defix/intents/{id}/attempts",
      minimum: "VIEW_ONLY",
      call: (c) => get(`/defix/intents/${c.intentId}/attempts`, c.headers),
    },
    {
      endpoint: "GET /defix/intents/{id}/proof",
      minimum: "VIEW_ONLY",
      call: (c) => get(`/defix/intents/${c.intentId}/proof`, c.headers),
    },
    {
      endpoint: "GET /defix/vaults/{id}/audit?scope=view",
      minimum: "VIEW_ONLY",
      call: (c) => get(`/defix/vaults/${c.vaultId}/audit?scope=view&state=COMPLETED`, c.headers),
    },
    {
      endpoint: "GET /defix/stream?vault_id",
      minimum: "VIEW_ONLY",
      call: (c) => get(`/defix/stream?vault_id=${c.vaultId}`, c.headers),
    },
    {
      endpoint: "GET session-key/readiness",
      minimum: "VIEW_ONLY",
      call: (c) => get(`${key(c.vaultId)}/readiness`, c.headers),
    },
    {
      endpoint: "GET session-key/history",
      minimum: "VIEW_ONLY",
      call: (c) => get(`${key(c.vaultId)}/history`, c.headers),
    },
    {
      endpoint: "POST /defix/intents",
      minimum: "SECONDARY_MANAGER",
      call: (c) => post("/defix/intents", c.headers, depositRequestFor(c.vaultId)),
    },
    {
      endpoint: "GET session-key/grant",
      minimum: "PRIMARY_MANAGER",
      call: (c) => get(`${key(c.vaultId)}/grant`, c.headers),
    },
    {
      endpoint: "GET session-key/rotation",
      minimum: "PRIMARY_MANAGER",
      call: (c) => get(`${key(c.vaultId)}/rotation`, c.headers),
    },
    {
      endpoint: "GET session-key/revoke",
      minimum: "PRIMARY_MANAGER",
      call: (c) => get(`${key(c.vaultId)}/revoke`, c.headers),
    },
    {
      endpoint: "POST session-key/rotation/complete",
      minimum: "PRIMARY_MANAGER",
      call: (c) => post(`${key(c.vaultId)}/rotation/complete`, c.headers),
    },
    {
      endpoint: "POST session-key/rotation/cancel",
      minimum: "PRIMARY_MANAGER",
      call: (c) => post(`${key(c.vaultId)}/rotation/cancel`, c.headers),
    },
    {
      endpoint: "GET approval-policy",
      minimum: "VIEW_ONLY",
      call: (c) => get(`/defix/vaults/${c.vaultId}/approval-policy`, c.headers),
    },
    // A well-formed but stale version: the primary gets 409 VERSION_CONFLICT, everyone else 403/404.
    {
      endpoint: "PUT approval-policy",
      minimum: "PRIMARY_MANAGER",
      call: (c) =>
        status(`${base}/defix/vaults/${c.vaultId}/approval-policy`, {
          method: "PUT",
          headers: { ...c.headers, "content-type": "application/json" },
          body: JSON.stringify({ policy: null, version: 999, signer: `0x${"1".repeat(40)}`, signature: "0x00" }),
        }),
    },
    // The setup intent needs no approval: anyone with a role gets 409 APPROVAL_NOT_PENDING, others 404.
    {
      endpoint: "POST /defix/intents/{id}/approvals",
      minimum: "VIEW_ONLY",
      call: (c) => post(`/defix/intents/${c.intentId}/approvals`, c.headers, decisionBody),
    },
    {
      endpoint: "POST /defix/intents/{id}/rejections",
      minimum: "VIEW_ONLY",
      call: (c) => post(`/defix/intents/${c.intentId}/rejections`, c.headers, decisionBody),
    },
    // The same decisions over JSON-RPC.
    {
      endpoint: "rpc approveIntent",
      minimum: "VIEW_ONLY",
      call: (c) => rpc("approveIntent", { intent_id: c.intentId, ...decisionBody }, c.headers),
    },
    {
      endpoint: "rpc rejectIntent",
      minimum: "VIEW_ONLY",
      call: (c) => rpc("rejectIntent", { intent_id: c.intentId, ...decisionBody }, c.headers),
    },
    // On-chain limit prepares (issue 20): calldata only; the budget's hook is outside the tree (400 when allowed).
    {
      endpoint: "POST limits/budget",
      minimum: "PRIMARY_MANAGER",
      call: (c) =>
        post(`/defix/vaults/${c.vaultId}/limits/budget`, c.headers, {
          hook: "0x000000000000000000000000000000000000dead",
          max_amount: "1",
          max_executions: 1,
          period_seconds: 60,
          rolling: false,
        }),
    },
    {
      endpoint: "POST limits/pause",
      minimum: "PRIMARY_MANAGER",
      call: (c) => post(`/defix/vaults/${c.vaultId}/limits/pause`, c.headers),
    },
    {
      endpoint: "POST limits/unpause",
      minimum: "PRIMARY_MANAGER",
      call: (c) => post(`/defix/vaults/${c.vaultId}/limits/unpause`, c.headers),
    },
    {
      endpoint: "POST limits/guardian",
      minimum: "PRIMARY_MANAGER",
      call: (c) =>
        post(`/defix/vaults/${c.vaultId}/limits/guardian`, c.headers, {
          guardian: "0x000000000000000000000000000000000000beef",
          enabled: false,
        }),
    },
    // Last: an allowed cancel changes the intent (a second allowed cancel answers 409).
    {
      endpoint: "POST /defix/intents/{id}/cancel",
      minimum: "SECONDARY_MANAGER",
      call: (c) => post(`/defix/intents/${c.intentId}/cancel`, c.headers),
    },
  ];
}

const decisionBody = { member: `0x${"1".repeat(40)}`, signature: "0x00" };
