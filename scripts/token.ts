import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { issueOmsToken } from "../lib/auth/issuer";
import { signSiwe } from "../lib/auth/script-siwe";
import { devAccount } from "../lib/chain/dev-accounts";
import { loadManifest } from "../lib/deployment/manifest";

const USAGE = `Prints a bearer token for the OMS API, signed in the way a wallet signs in.

  npm run -s token -- --account 1                 SIWE-sign with dev account #1 against the running dashboard
  npm run -s token -- --account 1 --offline       mint directly with the issuer key in DATA_DIR (no dashboard needed)

Options: --url <dashboard> (default NEXTAUTH_URL or http://localhost:3000), --data-dir <dir> (default DATA_DIR or .data),
         --json (print {"token","expires_at"})

  TOKEN=$(npm run -s token -- --account 1)
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8787/defix/intents`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      account: { type: "string", default: "1" },
      url: { type: "string" },
      "data-dir": { type: "string" },
      offline: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const account = devAccount(Number(values.account));
  const dataDir = path.resolve(values["data-dir"] ?? process.env.DATA_DIR ?? ".data");
  const result = values.offline
    ? await mintOffline(account.address, dataDir)
    : await signIn(account, values.url ?? process.env.NEXTAUTH_URL ?? "http://localhost:3000", dataDir);
  console.log(values.json ? JSON.stringify(result) : result.token);
}

async function mintOffline(address: string, dataDir: string): Promise<{ token: string; expires_at: string }> {
  const { token, expiresAt } = await issueOmsToken({ subject: address, dataDir });
  return { token, expires_at: expiresAt.toISOString() };
}

/** The dashboard's script route: nonce → SIWE message signed by the key → { token, expires_at }. */
async function signIn(
  account: ReturnType<typeof devAccount>,
  dashboardUrl: string,
  dataDir: string,
): Promise<{ token: string; expires_at: string }> {
  const base = new URL(dashboardUrl);
  const manifestPath = process.env.DEPLOYMENT_FILE ?? path.join(dataDir, "deployment.json");
  if (!existsSync(manifestPath)) throw new Error(`no deployment manifest at ${manifestPath}: is the stack running?`);
  const { chain_id: chainId } = loadManifest(manifestPath);

  const nonceResponse = await fetch(new URL("/api/auth/nonce", base), { method: "POST" });
  if (!nonceResponse.ok) throw new Error(`nonce request failed: HTTP ${nonceResponse.status}`);
  const { nonce } = (await nonceResponse.json()) as { nonce: string };

  const { message, signature } = await signSiwe(account, {
    base,
    chainId,
    nonce,
    statement: "Sign in to the DeFiX console (script token).",
  });
  const response = await fetch(new URL("/api/auth/token", base), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message, signature }),
  });
  const body = (await response.json()) as {
    token?: string;
    expires_at?: string;
    error?: { code: string; message: string };
  };
  if (!response.ok || !body.token || !body.expires_at) {
    throw new Error(
      `token request refused: ${body.error?.code ?? response.status} ${body.error?.message ?? ""}`.trim(),
    );
  }
  return { token: body.token, expires_at: body.expires_at };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
