import type { Metadata } from "next";
import type { ReactNode } from "react";
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

/** The root stays free of providers: wallet code loads only on pages that sign (sign-in, canvas). */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
