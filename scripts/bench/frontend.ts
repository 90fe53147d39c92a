import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "./lib/children";
import { record, round, section } from "./lib/report";

interface RouteStats {
  route: string;
  firstLoadUncompressedJsBytes: number;
  firstLoadChunkPaths: string[];
}

/**
 * Issue 22: our page code on top of the framework floor, gzip. The floor is what `/_not-found` loads
 * (Next's runtime, react-dom, the App Router and the root layout's chunks): what any page of this app
 * costs before its own code, so it is measured, not assumed.
 */
const PAGE_CODE_TARGET_KB = 35;
const FLOOR_ROUTE = "/_not-found";
/** Pages where the manager signs (sign-in, keys and limits, approvals, the approval policy): they load the wallet. */
const WALLET_ROUTES = /signin|canvas|approvals|approval-policy/;
/** Strings that survive minification in wallet libraries' bundles. */
const WALLET_MARKERS = ["wagmi", "data-rk", "WalletConnect", "rainbowkit", "coinbaseWallet"];

const statsFile = path.join(ROOT, ".next", "diagnostics", "route-bundle-stats.json");

/**
 * First-load JS per route from `next build`'s route-bundle-stats.json. Next reports uncompressed
 * bytes there; the target (like Next's old "First Load JS" column) is gzip, so each chunk is gzipped
 * here. A non-wallet route whose chunks carry wallet library markers is flagged.
 */
export function benchFrontend(options: { build: boolean }): void {
  section("front end: first-load JS per route, gzip: the framework floor and each page's own code on top of it");
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
  const measured = routes.map((route) => {
    const chunks = route.firstLoadChunkPaths.map(chunkInfo);
    return {
      route,
      chunks: chunks.length,
      gzipKb: chunks.reduce((sum, chunk) => sum + chunk.gzip, 0) / 1024,
      hasWallet: chunks.some((chunk) => chunk.hasWallet),
    };
  });
  const floorKb = measured.find((entry) => entry.route.route === FLOOR_ROUTE)?.gzipKb;
  if (floorKb === undefined)
    throw new Error(`next build reported no ${FLOOR_ROUTE} route: no floor to measure against`);
  record({ name: "first-load JS floor (Next.js + root layout)", value: floorKb, unit: "kB gzip", note: FLOOR_ROUTE });
  for (const { route, chunks, gzipKb, hasWallet } of [...measured].sort((a, b) =>
    a.route.route.localeCompare(b.route.route),
  )) {
    if (route.route === FLOOR_ROUTE) continue;
    const isWalletRoute = WALLET_ROUTES.test(route.route);
    const pageKb = gzipKb - floorKb;
    const isMet = isWalletRoute || (pageKb <= PAGE_CODE_TARGET_KB && !hasWallet);
    record({
      name: `page code ${route.route}`,
      value: pageKb,
      unit: "kB gzip over the floor",
      target: isWalletRoute ? undefined : `≤ ${PAGE_CODE_TARGET_KB} kB, no wallet code`,
      met: isWalletRoute ? undefined : isMet,
      note: `first load ${round(gzipKb)} kB gzip (${Math.round(route.firstLoadUncompressedJsBytes / 1024)} kB uncompressed), ${chunks} chunks${hasWallet ? ", carries wallet code" : ""}${isWalletRoute ? ", wallet route" : ""}`,
    });
  }
}
