import { availableParallelism, cpus, hostname } from "node:os";
import { benchBff } from "./bff";
import { benchBroker } from "./broker";
import { benchBrowserLatency } from "./browser-latency";
import { benchEngine } from "./engine";
import { benchFacets } from "./facets";
import { benchFrontend } from "./frontend";
import { benchLatency } from "./latency";
import { benchLatencyLoad } from "./latency-load";
import { benchLatencyModes } from "./latency-modes";
import { argNumber, argPort, argValue, hasFlag } from "./lib/args";
import { DIALECTS } from "./lib/database";
import { printTargetTable, saveFigures } from "./lib/report";
import { startWorld } from "./lib/world";
import { benchReadPath } from "./read-path";
import { benchStreamLatency } from "./stream-latency";
import { benchSubmitPath } from "./submit-path";
import { benchTable } from "./table";
import { benchWebhooks } from "./webhooks";

/**
 * `npm run bench [-- <read|facets|submit|engine|e2e-latency|stream-latency|webhooks|broker|bff|frontend|browser-latency|table|all>]
 * [--quick] [--seconds N] [--intents N] [--dialect sqlite|postgres]` (`broker`: commit → NATS latency, own nats-server;
 * `--broker-events N`, `--nats-port P`; `facets`: `--facet-intents N` (1,000,000), `--facet-samples N`;
 * `e2e-latency --rate R [--seconds S] [--chain-port P --oms-port P]`: steady-rate load on 1 s blocks, per-stage breakdown;
 * `browser-latency`: `--live-seconds N`, `--live-rate R`, `--history-only`; `table`: `--table-intents N`,
 * `--wheel-steps N`; both need `npx next build` first). Every figure is printed with its ratio to a baseline measured in the
 * same run; all traffic goes to 127.0.0.1 and every process started here is stopped at the end.
 */
const USAGE =
  "usage: bench [read|facets|submit|engine|e2e-latency|stream-latency|webhooks|broker|bff|frontend|browser-latency|table|all] [--quick] [--seconds N] [--intents N] [--dialect D]";

async function main(): Promise<void> {
  const command = process.argv.slice(2).find((arg) => !arg.startsWith("--")) ?? "all";
  const isQuick = hasFlag("quick");
  const seconds = argNumber("seconds", isQuick ? 3 : 10);
  const connections = argNumber("connections", 50);
  const intents = argNumber("intents", isQuick ? 10_000 : 100_000);
  const dialectArg = argValue("dialect");
  const dialects = dialectArg ? DIALECTS.filter((d) => d === dialectArg) : DIALECTS;
  if (dialects.length === 0) throw new Error(`--dialect must be sqlite or postgres\n${USAGE}`);

  const cpu = cpus()[0]?.model ?? "unknown CPU";
  console.log(
    `bench ${command} on ${hostname()} (${availableParallelism()} × ${cpu}, node ${process.version}) at ${new Date().toISOString()}`,
  );
  const wanted = (name: string) => command === name || command === "all";
  const startedAt = performance.now();
  if (wanted("read") || wanted("facets") || wanted("submit") || wanted("engine") || wanted("stream-latency")) {
    const chainPort = argValue("chain-port");
    const world = await startWorld({ port: chainPort === undefined ? undefined : Number(chainPort) });
    try {
      if (wanted("read")) await benchReadPath(world, { intents, seconds, connections, dialects });
      if (wanted("facets"))
        await benchFacets(world, {
          intents: argNumber("facet-intents", 1_000_000),
          samples: argNumber("facet-samples", isQuick ? 20 : 100),
          dialects,
        });
      if (wanted("submit")) await benchSubmitPath(world, { seconds, connections, dialects });
      // 1,000 even when quick: 300 intents run ~2 s, much of it the workers' start and the last intents' tail.
      if (wanted("engine"))
        await benchEngine(world, { intents: argNumber("engine-intents", isQuick ? 1_000 : 2_000), dialects });
      if (wanted("stream-latency"))
        await benchStreamLatency(world, { samples: argNumber("stream-events", isQuick ? 100 : 500) });
    } finally {
      await world.stop();
    }
  }
  // `e2e-latency --rate R`: the steady-rate load mode only (seconds from `--seconds`, 15 unless given).
  if (command === "e2e-latency" && hasFlag("rate"))
    await benchLatencyLoad({ rate: argNumber("rate", 10), seconds: argNumber("seconds", 15) });
  else if (wanted("e2e-latency")) await benchLatency({ intents: argNumber("latency-intents", isQuick ? 10 : 30) });
  if (wanted("e2e-latency") && !hasFlag("rate"))
    await benchLatencyModes({ intents: argNumber("latency-intents", isQuick ? 10 : 30) });
  if (wanted("webhooks")) await benchWebhooks({ intents: argNumber("webhook-intents", isQuick ? 10 : 40) });
  if (wanted("broker"))
    await benchBroker({
      events: argNumber("broker-events", isQuick ? 100 : 500),
      dialects,
      natsPort: argPort("nats-port", 0),
    });
  if (wanted("bff")) await benchBff({ seconds, dataDir: ".data/bench/bff-stack" });
  if (wanted("frontend")) benchFrontend({ build: hasFlag("build") });
  if (wanted("browser-latency"))
    await benchBrowserLatency({
      seconds: argNumber("live-seconds", isQuick ? 25 : 60),
      rate: argNumber("live-rate", 10),
      isHistoryOnly: hasFlag("history-only"),
    });
  if (wanted("table"))
    await benchTable({
      intents: argNumber("table-intents", 10_000),
      wheelSteps: argNumber("wheel-steps", isQuick ? 100 : 300),
    });
  if (
    ![
      "read",
      "facets",
      "submit",
      "engine",
      "e2e-latency",
      "stream-latency",
      "webhooks",
      "broker",
      "bff",
      "frontend",
      "browser-latency",
      "table",
      "all",
    ].includes(command)
  )
    throw new Error(`unknown bench "${command}"\n${USAGE}`);
  printTargetTable();
  console.log(`\nfigures appended to ${saveFigures()} (${Math.round((performance.now() - startedAt) / 1000)} s)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
