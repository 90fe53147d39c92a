import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { checkOnChain } from "./onchain";
import { verifyProof } from "./proof";
import { verifyAudit } from "./verify";

const USAGE =
  "usage: npm run audit -- verify FILE [--public-key PEM_FILE] [--rpc URL]\n       npm run audit -- verify-proof FILE [--public-key PEM_FILE]\n";

/** `verify-proof FILE`: an intent proof (the console's "Copy proof"); exits 0 only when it verifies. */
function verifyProofFile(file: string, publicKeyPem: string | undefined): number {
  const result = verifyProof(readFileSync(file, "utf8"), { publicKeyPem });
  if (!result.ok) {
    process.stderr.write(`FAIL ${file}: ${result.failure}\n`);
    return 1;
  }
  const p = result.proof;
  const where =
    p?.inclusion && p.checkpoint
      ? `held at seq ${p.inclusion.seq_num} by the vault's checkpoint ${p.checkpoint.seq} (position ${p.checkpoint.position})`
      : "not in a checkpoint yet";
  process.stdout.write(
    `OK ${file}: intent ${p?.intent_id}, ${p?.events.length} events chained from seq 1, ${where}, signed by ES256\n`,
  );
  return 0;
}

/** `npm run audit -- verify FILE [--public-key PEM_FILE] [--rpc URL]`: exits 0 only when the file verifies. */
async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { "public-key": { type: "string" }, rpc: { type: "string" } },
  });
  const [command, file] = positionals;
  if ((command !== "verify" && command !== "verify-proof") || file === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  const keyOption = values["public-key"];
  const publicKeyPem = keyOption === undefined ? undefined : readFileSync(keyOption, "utf8");
  if (command === "verify-proof") return verifyProofFile(file, publicKeyPem);
  const result = verifyAudit(readFileSync(file, "utf8"), { publicKeyPem });
  if (!result.ok) {
    process.stderr.write(`FAIL ${file}: ${result.failure}\n`);
    return 1;
  }
  if (values.rpc !== undefined) {
    const failure = await checkOnChain(values.rpc, result.fills, result.attempts);
    if (failure !== undefined) {
      process.stderr.write(`FAIL ${file}: ${failure}\n`);
      return 1;
    }
  }
  const m = result.manifest;
  const scope =
    m?.scope === "view"
      ? `the filtered view ${JSON.stringify(m.view ?? {})} of intents created from ${m.from} to ${m.to}, ${m.heads.length} intents each complete from seq 1`
      : `records written from ${m?.from} to ${m?.to}`;
  process.stdout.write(
    `OK ${file}: ${result.records} records of vault ${m?.vault_id}, ${scope}, ` +
      `signed by ${m?.algorithm}${values.rpc === undefined ? "" : `, ${result.fills.length} fills and mined attempts checked on-chain`}\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
