import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { BrowserConfig } from "./browser-config";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "DeFiX console", template: "%s · DeFiX console" },
  description: "Operator console for DeFiX strategy intents",
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
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <BrowserConfig />
        {children}
      </body>
    </html>
  );
}
