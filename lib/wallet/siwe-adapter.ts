import { createAuthenticationAdapter } from "@rainbow-me/rainbowkit";
import { signIn, signOut } from "next-auth/react";
import { createSiweMessage } from "viem/siwe";

/** Sign-in messages are valid for 5 minutes, the same as the server's nonce. */
const MESSAGE_TTL_MS = 5 * 60_000;

/**
 * RainbowKit ↔ next-auth SIWE adapter. Unlike @rainbow-me/rainbowkit-siwe-next-auth (which reuses
 * next-auth's CSRF token as the nonce), it asks the server for a single-use nonce, sets
 * issuedAt/expirationTime, and reports why the server refused a signature.
 */
export function createSiweAdapter(onRefused: (reason: string) => void) {
  return createAuthenticationAdapter<string>({
    async getNonce() {
      const response = await fetch("/api/auth/nonce", { method: "POST", cache: "no-store" });
      if (response.status === 429) onRefused(`RATE_LIMITED:${response.headers.get("retry-after") ?? ""}`);
      if (!response.ok) throw new Error(`nonce request failed (${response.status})`);
      const { nonce } = (await response.json()) as { nonce: string };
      return nonce;
    },
    createMessage({ nonce, address, chainId }) {
      const issuedAt = new Date();
      return createSiweMessage({
        domain: window.location.host,
        uri: window.location.origin,
        statement: "Sign in to the DeFiX console.",
        version: "1",
        address,
        chainId,
        nonce,
        issuedAt,
        expirationTime: new Date(issuedAt.getTime() + MESSAGE_TTL_MS),
      });
    },
    async verify({ message, signature }) {
      const result = await signIn("credentials", { message, signature, redirect: false });
      if (!result?.ok) onRefused(result?.error ?? "UNKNOWN");
      return result?.ok ?? false;
    },
    async signOut() {
      await signOut({ redirect: false });
    },
  });
}
