import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "DeFiX console", template: "%s · DeFiX console" },
  description: "Operator console for DeFiX strategy intents",
};

/** The root stays free of providers: wallet code loads only on pages that sign (sign-in, canvas). */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
