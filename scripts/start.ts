import path from "node:path";
import { checkClusterShape } from "./lib/cluster";
import { LOCAL_NATS_URL, natsAnswers } from "./lib/nats-probe";
import { LOCAL_REDIS_URL, redisAnswers } from "./lib/redis-probe";
import { type Stack, startStack, type WebMode } from "./lib/stack";

/**
 * `npm start`: the whole system on its embedded defaults. Ctrl-C stops every child (anvil included).
 * Env: RPC_URL (skip anvil), DATABASE_URL (PostgreSQL), CHAIN_PORT, OMS_PORT, RUNNER_PORT, PORT, DATA_DIR, WEB_MODE,
 * OMS_PROCESSES / WEB_INSTANCES (several processes behind one entry port each), REDIS_URL, NATS_URL (`none`: no broker),
 * WEBHOOK_RECEIVER_PORT (the local webhook receiver; `0` = none).
 */
const portFromEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${name} must be a TCP port, got "${raw}"`);
  return port;
};

const countFromEnv = (name: string): number => {
  const raw = process.env[name];
  return raw === undefined || raw === "" ? 1 : Number(raw);
};

/** A configuration mistake is a sentence and exit code 2, not a stack trace. */
function refuse(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(2);
}

const webMode = (process.env.WEB_MODE ?? "prod") as WebMode;
if (!["dev", "prod", "none"].includes(webMode)) refuse(`WEB_MODE must be dev, prod or none, got "${webMode}"`);
const omsProcesses = countFromEnv("OMS_PROCESSES");
const webInstances = countFromEnv("WEB_INSTANCES");
const databaseUrl = process.env.DATABASE_URL || undefined;
let redisUrl = process.env.REDIS_URL || undefined;
if (webInstances > 1 && webMode !== "none" && !redisUrl) {
  if (await redisAnswers(LOCAL_REDIS_URL)) {
    redisUrl = LOCAL_REDIS_URL;
    console.log(`WEB_INSTANCES=${webInstances} without REDIS_URL: using the Redis that answers at ${redisUrl}.`);
  }
}
// The broker: NATS_URL if given ("none" opts out), else the local JetStream when it answers.
let natsUrl = process.env.NATS_URL || undefined;
let natsNote: string;
if (natsUrl === "none") {
  natsUrl = undefined;
  natsNote = "none (NATS_URL=none)";
} else if (natsUrl) {
  natsNote = `${natsUrl} (NATS_URL)`;
} else if (await natsAnswers(LOCAL_NATS_URL)) {
  natsUrl = LOCAL_NATS_URL;
  natsNote = `${natsUrl} (JetStream answered there), stream ${process.env.NATS_STREAM ?? "DEFIX_EVENTS"}`;
} else {
  natsNote = `none: no NATS JetStream answers at ${LOCAL_NATS_URL}; events stay in the OMS's outbox only`;
}
console.log(`Event broker: ${natsNote}`);
try {
  checkClusterShape({ omsProcesses, webInstances }, { databaseUrl, redisUrl, web: webMode });
} catch (error) {
  refuse(error instanceof Error ? error.message : String(error));
}

const started = Date.now();
console.log("Starting the DeFiX operator console (chain → contracts → OMS → runner → dashboard)…");
const stack = await startStack({
  dataDir: path.resolve(process.env.DATA_DIR ?? ".data"),
  web: webMode,
  rpcUrl: process.env.RPC_URL || undefined,
  databaseUrl,
  redisUrl,
  natsUrl,
  omsProcesses,
  webInstances,
  ports: {
    chain: portFromEnv("CHAIN_PORT", 8545),
    oms: portFromEnv("OMS_PORT", 8787),
    runner: portFromEnv("RUNNER_PORT", 8788),
    web: portFromEnv("PORT", 3000),
    bundler: process.env.BUNDLER_PORT === "0" ? 4337 : portFromEnv("BUNDLER_PORT", 4337),
  },
  // The local alto runs unless BUNDLER_URL names a provider or BUNDLER_PORT=0 turns it off.
  bundler: process.env.BUNDLER_PORT !== "0",
  webhookReceiverPort:
    process.env.WEBHOOK_RECEIVER_PORT === "0" ? undefined : portFromEnv("WEBHOOK_RECEIVER_PORT", 8789),
  echo: process.env.QUIET !== "1",
});

const { manifest } = stack;
const managers = manifest.vaults.map(
  (vault) =>
    `  ${vault.name.padEnd(18)} ${vault.vault_id}  ${vault.account_mode ?? "OMS"}\n` +
    `    primary manager ${accountLabel(vault.primary_manager)}` +
    (vault.secondary_managers.length ? `, secondary ${vault.secondary_managers.map(accountLabel).join(", ")}` : ""),
);
console.log(`
Ready in ${((Date.now() - started) / 1000).toFixed(1)} s.

  Dashboard      ${stack.webUrl}${behindProxy(stack.webInstances)}
  OMS API        ${stack.omsUrl}   (OpenAPI: ${stack.omsUrl}/openapi.json)${behindProxy(stack.omsProcesses)}
  Strategy runner ${stack.runnerUrl}
  Chain (RPC)    ${stack.rpcUrl}   chain id ${manifest.chain_id}
  Event broker   ${natsNote}
  4337 bundler   ${stack.bundler.note}
  Manifest       ${path.join(stack.dataDir, "deployment.json")}
  Logs           ${path.join(stack.dataDir, "logs")}
  Webhooks       ${webhookLine()}

Vaults (account mode: OMS unless named; EIP4337 = the vault is the smart account, EIP4337_COMPANION = a companion
account is its executor, EIP7702 = its primary manager's EOA delegates to the account code):
${managers.join("\n")}

Dev accounts (anvil mnemonic "test test … junk"; import a key into your wallet, chain id ${manifest.chain_id}, RPC ${stack.rpcUrl}):
${manifest.accounts.map((account) => `  #${account.index} ${account.address}  ${account.label}`).join("\n")}

A bearer token for scripts: npm run -s token -- --account 1
Press Ctrl-C to stop everything.
`);

/** Where the local receiver listens and how to subscribe it, or that it was skipped. */
function webhookLine(): string {
  if (!stack.webhookReceiverUrl)
    return "no local receiver (WEBHOOK_RECEIVER_PORT=0); the OMS delivers to public https URLs only";
  return (
    `local receiver ${stack.webhookReceiverUrl} (what arrived: open it; log: ${path.join(stack.dataDir, "logs", "webhook-receiver.jsonl")})\n` +
    "                 subscribe it on a vault's Webhooks page (it is the suggested URL there); paste the secret shown\n" +
    "                 at creation into the receiver's page to check signatures. The OMS runs with\n" +
    "                 WEBHOOK_ALLOW_PRIVATE_TARGETS=1 so it may deliver to this machine (development only)."
  );
}

/** With several processes the entry port is our round-robin proxy: list what stands behind it. */
function behindProxy(members: Stack["omsProcesses"]): string {
  if (members.length < 2) return "";
  const rows = members.map((member) => `\n                   ${member.name.padEnd(6)} ${member.url}`).join("");
  return `\n                 entry port: round-robin proxy over ${members.length} processes${rows}`;
}

function accountLabel(address: string): string {
  const account = manifest.accounts.find((candidate) => candidate.address === address);
  return account ? `#${account.index} ${address}` : address;
}

let stopping = false;
const shutdown = (reason: string, exitCode: number): void => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${reason}: stopping dashboard, runner, OMS and chain…`);
  stack.stop().then(
    () => process.exit(exitCode),
    (error: unknown) => {
      console.error("Shutdown failed:", error);
      process.exit(1);
    },
  );
};
process.on("SIGINT", () => shutdown("SIGINT", 0));
process.on("SIGTERM", () => shutdown("SIGTERM", 0));

// A service that dies on its own leaves the system half-up: say which and where its log is, then stop the rest.
// A member of a service run as several processes is the exception while others of it live: its proxy skips it.
const groups = [stack.omsProcesses, stack.webInstances].filter((members) => members.length > 1);
const alive = new Set(stack.processes.map((proc) => proc.name));
for (const proc of stack.processes) {
  proc.child.once("exit", (code, signal) => {
    if (stopping) return;
    alive.delete(proc.name);
    const logFile = path.join(stack.dataDir, "logs", `${proc.name}.log`);
    console.error(`\n${proc.name} exited unexpectedly (${signal ?? `code ${code}`}); its log: ${logFile}`);
    const group = groups.find((members) => members.some((member) => member.name === proc.name));
    const survivors = group?.filter((member) => alive.has(member.name)) ?? [];
    if (survivors.length > 0) {
      console.error(`The entry port now sends its requests to ${survivors.map((member) => member.name).join(", ")}.`);
      return;
    }
    shutdown(`${proc.name} exited`, 1);
  });
}
