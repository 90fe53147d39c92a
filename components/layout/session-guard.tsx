"use client";

import { SessionProvider, signOut, useSession } from "next-auth/react";
import { type ReactNode, useEffect } from "react";
import { watchAccountSwitch } from "@/lib/wallet/injected-events";

/** How often the session endpoint runs: it re-issues the OMS token inside the cookie before it expires. */
const SESSION_REFRESH_SECONDS = 4 * 60;

/**
 * Keeps the signed-in state honest on authenticated pages: an expired session or a wallet switched to
 * another account goes back to /signin. Uses next-auth's client only (no wagmi on these pages).
 */
export function SessionGuard({ address, children }: { address: string; children: ReactNode }) {
  return (
    <SessionProvider refetchInterval={SESSION_REFRESH_SECONDS} refetchOnWindowFocus>
      <Watcher address={address} />
      {children}
    </SessionProvider>
  );
}

function Watcher({ address }: { address: string }) {
  const { status } = useSession();
  useEffect(() => {
    if (status === "unauthenticated") window.location.assign("/signin?reason=expired");
  }, [status]);
  useEffect(
    () =>
      watchAccountSwitch(address, () => {
        signOut({ callbackUrl: "/signin?reason=account-changed" }).catch((error: unknown) => {
          console.error("sign-out after account switch failed", error);
          window.location.assign("/signin?reason=account-changed");
        });
      }),
    [address],
  );
  return null;
}
