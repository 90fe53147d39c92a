import { readFileSync } from "node:fs";
import { createServer } from "node:http";

/**
 * The yardstick every HTTP figure is divided by: a bare node:http server answering a fixed JSON
 * of about the size of an intent (or, with BASELINE_BODY_FILE, that file's bytes: e.g. the very page the
 * OMS list answered, to compare work with work). Runs as its own process, like the OMS, so both share the
 * CPU with the load generator the same way.
 */
const fixed = JSON.stringify({
  id: "00000000-0000-4000-8000-000000000000",
  vault_id: `31337:0x${"ab".repeat(20)}`,
  state: "COMPLETED",
  action: "DEPOSIT",
  seq_num: 9,
  config_hash: `0x${"cd".repeat(32)}`,
  action_config: { size_expr: "1000000", execution_name: "Deposit4626Hook", max_slippage_bps: 50 },
  created_at: new Date(0).toISOString(),
});
const body = process.env.BASELINE_BODY_FILE ? readFileSync(process.env.BASELINE_BODY_FILE) : fixed;

const server = createServer((_request, response) => {
  response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(body);
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  process.stdout.write(`READY ${port}\n`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
