import type { FastifyBaseLogger } from "fastify";
import type { OmsClient } from "./oms-client";
import type { StrategyRepository } from "./store/strategy-repo";

/**
 * Keeps the OMS told of every vault's kill switch (docs/ARCHITECTURE.md, "Alerts"): the runner owns the
 * switch; the OMS turns "engaged" into a KILL_SWITCH_ENGAGED alert. Reported at once on each change and
 * again for every vault on a slow tick, so a change the OMS missed (down, restarted) is caught up. The
 * OMS's raise/resolve is idempotent, so repeating a report changes nothing.
 */
export function startKillSwitchReporter(deps: {
  repo: StrategyRepository;
  oms: OmsClient;
  vaultIds: readonly string[];
  log: FastifyBaseLogger;
  intervalMs?: number;
}): { report(vaultId: string, engaged: boolean): void; stop(): void } {
  let failing = false;
  async function send(vaultId: string, engaged: boolean): Promise<void> {
    try {
      await deps.oms.reportKillSwitch(vaultId, engaged);
      if (failing) deps.log.info("kill switch reports reach the OMS again");
      failing = false;
    } catch (error) {
      if (!failing)
        deps.log.warn({ err: error, vault_id: vaultId }, "could not report the kill switch to the OMS; retrying");
      failing = true;
    }
  }
  async function syncAll(): Promise<void> {
    for (const vaultId of deps.vaultIds) await send(vaultId, await deps.repo.killSwitch(vaultId));
  }
  const run = () => void syncAll().catch((error: unknown) => deps.log.error({ err: error }, "kill switch sync failed"));
  run();
  const timer = setInterval(run, deps.intervalMs ?? 30_000);
  timer.unref();
  return {
    report: (vaultId, engaged) => void send(vaultId, engaged),
    stop: () => clearInterval(timer),
  };
}
