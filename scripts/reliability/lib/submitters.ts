import type { ManifestVault } from "../../../lib/deployment/manifest";
import { depositRequest } from "../../bench/lib/intents";

export interface SubmitAnswer {
  status: number;
  id?: string;
  code?: string;
}

/** One distinct DEPOSIT (`seq` goes into its params) to the OMS at `url`, as a strategy would send it. */
export async function postIntent(
  url: string,
  token: string,
  vault: ManifestVault,
  seq: number,
  timeoutMs: number,
): Promise<SubmitAnswer> {
  const response = await fetch(`${url}/defix/intents`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(depositRequest(vault, seq)),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { id?: string; error?: { code?: string } };
  return { status: response.status, id: body.id, code: body.error?.code };
}

export interface SubmitLoad {
  /** Ids the OMS acknowledged (200/201 with an id): each must exist afterwards. */
  acknowledged: string[];
  /** Submits without an acknowledgement, by answer ("503 STORE_UNAVAILABLE") or client error name. */
  refused: Record<string, number>;
  refusedCount(): number;
  /** Lets every submitter finish its request in flight, then resolves. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `count` submitters sending intents one after another (`gapMs` apart) until stopped, recording what was
 * acknowledged and what was not. A request that got no answer (the OMS down) is a refusal, never retried.
 */
export function startSubmitters(options: {
  url: () => string;
  token: string;
  vault: ManifestVault;
  count: number;
  gapMs: number;
  timeoutMs: number;
  /** Extra pause after a request that got no answer at all. */
  backoffMs?: number;
}): SubmitLoad {
  const acknowledged: string[] = [];
  const refused: Record<string, number> = {};
  const refuse = (key: string) => {
    refused[key] = (refused[key] ?? 0) + 1;
  };
  let isSubmitting = true;
  let seq = Date.now();
  const submitter = async (): Promise<void> => {
    while (isSubmitting) {
      try {
        const answer = await postIntent(options.url(), options.token, options.vault, seq++, options.timeoutMs);
        if ((answer.status === 201 || answer.status === 200) && answer.id) acknowledged.push(answer.id);
        else refuse(`${answer.status} ${answer.code ?? ""}`.trim());
      } catch (error) {
        // Connection refused/reset or timed out: the client got no acknowledgement.
        refuse(error instanceof Error ? error.name : "error");
        await sleep(options.backoffMs ?? 0);
      }
      await sleep(options.gapMs);
    }
  };
  const running = Array.from({ length: options.count }, submitter);
  return {
    acknowledged,
    refused,
    refusedCount: () => Object.values(refused).reduce((sum, n) => sum + n, 0),
    async stop() {
      isSubmitting = false;
      await Promise.all(running);
    },
  };
}
