import type { Metadata } from "next";
import type { ReactNode } from "react";
import { QueryProvider } from "@/lib/query/provider";
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
 * The root holds the app's one React Query client and nothing else: wallet code loads only on pages
 * that sign (sign-in, canvas), which mount wagmi inside this client.
 */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <QueryProvider>{children}</QueryProvider>
      </body>
    </html>
  );
}
