import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "./lib/children";
import { record, section } from "./lib/report";

interface RouteStats {
  route: string;
  firstLoadUncompressedJsBytes: number;
  firstLoadChunkPaths: string[];
}

const TARGET_KB = 130;
/** Pages that legitimately load the wallet: sign-in (SIWE), the canvas (session-key signing), approvals (quorum decisions). */
const WALLET_ROUTES = /signin|canvas|approvals/;
/** Strings that survive minification in wallet libraries' bundles. */
const WALLET_MARKERS = ["wagmi", "data-rk", "WalletConnect", "rainbowkit", "coinbaseWallet"];

const statsFile = path.join(ROOT, ".next", "diagnostics", "route-bundle-stats.json");

/**
 * First-load JS per route from `next build`'s route-bundle-stats.json. Next reports uncompressed
 * bytes there; the target (like Next's old "First Load JS" column) is gzip, so each chunk is gzipped
 * here. A non-wallet route whose chunks carry wallet library markers is flagged.
 */
export function benchFrontend(options: { build: boolean }): void {
  section("front end: first-load JS per route (gzip; target for routes without the wallet)");
  if (options.build || !existsSync(statsFile)) {
    const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
      cwd: ROOT,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "ignore", "inherit"],
      timeout: 600_000,
    });
    if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
  }
  const routes = JSON.parse(readFileSync(statsFile, "utf8")) as RouteStats[];
  const gzipCache = new Map<string, { gzip: number; hasWallet: boolean }>();
  const chunkInfo = (chunk: string) => {
    let info = gzipCache.get(chunk);
    if (!info) {
      const bytes = readFileSync(path.join(ROOT, chunk));
      const text = bytes.toString("utf8");
      info = { gzip: gzipSync(bytes).length, hasWallet: WALLET_MARKERS.some((marker) => text.includes(marker)) };
      gzipCache.set(chunk, info);
    }
    return info;
  };
  for (const route of [...routes].sort((a, b) => a.route.localeCompare(b.route))) {
    const chunks = route.firstLoadChunkPaths.map(chunkInfo);
    const gzipKb = chunks.reduce((sum, chunk) => sum + chunk.gzip, 0) / 1024;
    const hasWallet = chunks.some((chunk) => chunk.hasWallet);
    const isWalletRoute = WALLET_ROUTES.test(route.route);
    const isMet = isWalletRoute || (gzipKb <= TARGET_KB && !hasWallet);
    record({
      name: `first-load JS ${route.route}`,
      value: gzipKb,
      unit: "kB gzip",
      target: isWalletRoute ? undefined : `≤ ${TARGET_KB} kB, no wallet code`,
      met: isWalletRoute ? undefined : isMet,
      note: `${Math.round(route.firstLoadUncompressedJsBytes / 1024)} kB uncompressed, ${chunks.length} chunks${hasWallet ? ", carries wallet code" : ""}${isWalletRoute ? ", wallet route" : ""}`,
    });
  }
}
