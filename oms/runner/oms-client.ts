import type { z } from "zod";
import { KillSwitchState } from "../../lib/defix/alerts";
import { ErrorBody } from "../../lib/defix/common";
import { Intent, type SubmitIntentRequest } from "../../lib/defix/intents";
import { Refinement } from "../../lib/defix/refinements";
import { Readiness } from "../../lib/defix/session-keys";

export class OmsRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "OmsRequestError";
  }
}

export interface OmsClient {
  readiness(vaultId: string): Promise<Readiness>;
  submitIntent(request: SubmitIntentRequest): Promise<Intent>;
  getIntent(intentId: string): Promise<Intent>;
  /** Tells the OMS the vault's kill switch state, so it raises or resolves KILL_SWITCH_ENGAGED. */
  reportKillSwitch(vaultId: string, engaged: boolean): Promise<void>;
  /** Plans the intent without creating it (POST /defix/intents/refine). */
  refineIntent(request: SubmitIntentRequest): Promise<Refinement>;
}

/** A token for the runner's service identity; the caller caches and refreshes it. */
export type TokenSource = () => Promise<string>;

export function createOmsClient(options: { baseUrl: string; token: TokenSource; timeoutMs?: number }): OmsClient {
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call<T extends z.ZodType>(schema: T, path: string, init: RequestInit = {}): Promise<z.output<T>> {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${await options.token()}`);
    headers.set("accept", "application/json");
    if (init.body) headers.set("content-type", "application/json");
    let response: Response;
    try {
      response = await fetch(`${options.baseUrl}${path}`, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const isTimeout = error instanceof Error && error.name === "TimeoutError";
      throw new OmsRequestError(
        0,
        isTimeout ? "UPSTREAM_TIMEOUT" : "UPSTREAM_UNAVAILABLE",
        isTimeout ? "the OMS did not answer in time" : "the OMS is unreachable",
      );
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const parsed = ErrorBody.safeParse(body);
      const code = parsed.success ? parsed.data.error.code : "UPSTREAM_ERROR";
      const message = parsed.success ? parsed.data.error.message : `the OMS answered ${response.status}`;
      throw new OmsRequestError(response.status, code, message);
    }
    return schema.parse(body);
  }

  return {
    readiness: (vaultId) => call(Readiness, `/defix/vaults/${encodeURIComponent(vaultId)}/session-key/readiness`),
    submitIntent: (request) => call(Intent, "/defix/intents", { method: "POST", body: JSON.stringify(request) }),
    getIntent: (intentId) => call(Intent, `/defix/intents/${encodeURIComponent(intentId)}`),
    async reportKillSwitch(vaultId, engaged) {
      await call(KillSwitchState, `/defix/vaults/${encodeURIComponent(vaultId)}/kill-switch-state`, {
        method: "PUT",
        body: JSON.stringify({ engaged }),
      });
    },
    refineIntent: (request) =>
      call(Refinement, "/defix/intents/refine", { method: "POST", body: JSON.stringify(request) }),
  };
}
