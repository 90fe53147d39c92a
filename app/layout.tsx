import type { Metadata } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { parseTheme, THEME_COOKIE, themeClass } from "@/components/layout/theme";
import { BrowserConfig } from "./browser-config";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "DeFiX console", template: "%s · DeFiX console" },
  description: "Operator console for DeFiX intents",
  // public/: the ICO for browsers that ask /favicon.ico on their own, the SVG for those that take one.
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "32x32" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
  },
};

/**
 * The root stays free of providers: wallet code loads only on pages that sign (sign-in, canvas).
 * Every page renders per request (`connection()`), so each carries the CSP nonce proxy.ts minted for it;
 * a prerendered page (e.g. the 404) would ship scripts without it and the browser would refuse them.
 * The theme the user chose comes from a cookie, so the first paint already has it (no inline script).
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={themeClass(theme)}>
      <body className="min-h-screen">
        <BrowserConfig />
        {children}
      </body>
    </html>
  );
}
