/** Headers on every response; pages also get a per-request Content-Security-Policy from proxy.ts. */
const EVERY_RESPONSE = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
];
// Responses that are not pages render nothing: nothing to load, nothing may frame them. Pages: lib/security/csp.ts.
const NOT_A_PAGE = [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ["better-sqlite3", "pg"],
  // `npm test` and `npm run check` type-check the whole repository (OMS, contracts, scripts, tests) with
  // `tsc --noEmit` as their own step; repeating it inside `next build` would double the slowest part of a build.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      { source: "/:path*", headers: EVERY_RESPONSE },
      { source: "/api/:path*", headers: NOT_A_PAGE },
      { source: "/_next/static/:path*", headers: NOT_A_PAGE },
    ];
  },
};

export default nextConfig;
