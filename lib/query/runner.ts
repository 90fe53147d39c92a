import type { Strategy, StrategyList, StrategyPreview } from "@/lib/defix/strategies";
import { fetchJson } from "./fetcher";

const jsonPut = (body: unknown) => ({
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

export function setStrategyState(strategyId: string, state: Strategy["state"], expectedVersion: number) {
  return fetchJson<Strategy>(
    `/api/runner/strategies/${encodeURIComponent(strategyId)}/state`,
    jsonPut({ state, expected_version: expectedVersion }),
  );
}

export function setKillSwitch(vaultId: string, engaged: boolean) {
  return fetchJson<StrategyList>(`/api/runner/vaults/${encodeURIComponent(vaultId)}/kill-switch`, jsonPut({ engaged }));
}

// POST /api/runner/strategies/[id]/preview – the next tick's intent, refined by the OMS; nothing is created.
export function previewStrategy(strategyId: string) {
  return fetchJson<StrategyPreview>(`/api/runner/strategies/${encodeURIComponent(strategyId)}/preview`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
}
