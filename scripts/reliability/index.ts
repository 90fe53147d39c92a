import type { AccountMode } from "../../lib/defix/intents";
import { argNumber, argPort, argValue, hasFlag } from "../bench/lib/args";
import { buildOmsBundle } from "../bench/lib/bundle";
import { DIALECTS } from "../bench/lib/database";
import { startWorld } from "../bench/lib/world";
import { printAuthMatrix, runAuthMatrix } from "./auth-matrix";
import { brokerRun, printBrokerReport } from "./broker";
import { chainFaultRun } from "./chain-faults";
import { clusterRun } from "./cluster";
import { crashRun } from "./crash";
import { printFuzzReport, runFuzz } from "./fuzz";
import { hostileRun, printHostileReport } from "./hostile";
import { ACCOUNT_MODES, prepareModes } from "./lib/account-mode";
import { startTarget } from "./lib/target";
import { pgFaultRun } from "./pg-faults";
import { printChainFaultReport, printClusterReport, printCrashReport, printPgFaultReport } from "./report";
import { printWebhookFlapReport, webhookFlapRun } from "./webhooks";

/**
 * `npm run reliability [-- crash|chain|pg|fuzz|auth|hostile|cluster|webhooks|broker|all] [--kills N] [--runs N]
 * [--dialect sqlite|postgres] [--mode OMS|EIP4337|EIP4337_COMPANION|EIP7702|all] [--bundler-port P] [--no-restart] [--seconds N] [--web N] [--intents N] [--events N] [--nats-port P]`.
 * `cluster` runs 3 OMS processes and `--web` (2) dashboards for `--seconds` (60); `webhooks` delivers `--intents` (40)
 * intents' events to a flapping receiver; `broker` runs its own nats-server (temp store). `pg` restarts the machine's
 * PostgreSQL server (root, pg_ctlcluster) unless --no-restart.
 * `crash --mode` runs the crash harness against that mode's vault (default OMS; `all` = each mode in turn, one local
 * alto for the 4337 modes on `--bundler-port`).
 * Prints what each check tried and what was lost; exits 1 if anything was.
 */
async function main(): Promise<void> {
  const command = process.argv.slice(2).find((arg) => !arg.startsWith("--")) ?? "all";
  const dialectArg = argValue("dialect");
  const dialects = dialectArg ? DIALECTS.filter((d) => d === dialectArg) : DIALECTS;
  const wanted = (name: string) => command === name || command === "all";
  let isClean = true;
  console.log(`reliability ${command} at ${new Date().toISOString()}`);
  if (wanted("crash")) {
    const kills = argNumber("kills", 100);
    const entry = buildOmsBundle();
    const modes = accountModesArg();
    for (const dialect of dialects) {
      const world = await startWorld();
      const side = await prepareModes(world, modes, { bundlerPort: bundlerPortArg() });
      try {
        for (const mode of modes) {
          const log = (line: string) => console.log(line);
          const report = await crashRun(world, { dialect, kills, entry, mode, env: side.env, log });
          isClean = printCrashReport(report) && isClean;
        }
      } finally {
        await side.stop();
        await world.stop();
      }
    }
  }
  if (wanted("chain")) {
    const entry = buildOmsBundle();
    for (const dialect of dialects) {
      const world = await startWorld({ persistChain: true });
      try {
        const report = await chainFaultRun(world, { dialect, entry, log: (line) => console.log(line) });
        isClean = printChainFaultReport(report) && isClean;
      } finally {
        await world.stop();
      }
    }
  }
  if (wanted("pg")) {
    const world = await startWorld();
    try {
      const report = await pgFaultRun(world, {
        entry: buildOmsBundle(),
        restart: !hasFlag("no-restart"),
        log: (line) => console.log(line),
      });
      isClean = printPgFaultReport(report) && isClean;
    } finally {
      await world.stop();
    }
  }
  if (wanted("fuzz") || wanted("auth")) {
    for (const dialect of dialects) {
      const target = await startTarget(dialect);
      try {
        console.log(`\n(${dialect})`);
        if (wanted("fuzz"))
          isClean = printFuzzReport(await runFuzz(target, { runs: argNumber("runs", 2_000) })) && isClean;
        if (wanted("auth")) isClean = printAuthMatrix(await runAuthMatrix(target)) && isClean;
      } finally {
        await target.stop();
      }
    }
  }
  // The hostile section of `auth` (also alone as `hostile`): the whole stack, once.
  if (wanted("auth") || command === "hostile") {
    isClean = printHostileReport(await hostileRun({ log: (line) => console.log(line) })) && isClean;
  }
  if (wanted("cluster")) {
    const world = await startWorld();
    try {
      const report = await clusterRun(world, {
        entry: buildOmsBundle(),
        seconds: argNumber("seconds", 60),
        webInstances: Number(argValue("web") ?? 2),
        log: (line) => console.log(line),
      });
      isClean = printClusterReport(report) && isClean;
    } finally {
      await world.stop();
    }
  }
  if (wanted("webhooks")) {
    const report = await webhookFlapRun({ intents: argNumber("intents", 40), log: (line) => console.log(line) });
    isClean = printWebhookFlapReport(report) && isClean;
  }
  if (wanted("broker")) {
    for (const dialect of dialects) {
      const report = await brokerRun({
        dialect,
        events: argNumber("events", 600),
        natsPort: argPort("nats-port", 0),
        log: (line) => console.log(line),
      });
      isClean = printBrokerReport(report) && isClean;
    }
  }
  if (!["crash", "chain", "pg", "fuzz", "auth", "hostile", "cluster", "webhooks", "broker", "all"].includes(command))
    throw new Error(`unknown check "${command}"`);
  console.log(isClean ? "\nnothing lost" : "\nSOMETHING WAS LOST (see above)");
  process.exitCode = isClean ? 0 : 1;
}

function bundlerPortArg(): number | undefined {
  return argValue("bundler-port") === undefined ? undefined : argNumber("bundler-port", 1);
}

/** `--mode M` (default OMS) or `--mode all`. */
function accountModesArg(): readonly AccountMode[] {
  const value = argValue("mode") ?? "OMS";
  if (value === "all") return ACCOUNT_MODES;
  const mode = ACCOUNT_MODES.find((m) => m === value);
  if (mode === undefined) throw new Error(`--mode must be one of ${ACCOUNT_MODES.join(", ")} or all`);
  return [mode];
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
