/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ["better-sqlite3", "pg"],
  // The OMS, contracts and scripts are separate processes; keep them out of the app's type check.
  typescript: { tsconfigPath: "tsconfig.json" },
};

export default nextConfig;
