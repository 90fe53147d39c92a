"use client";

import { type ReactNode, useEffect, useLayoutEffect } from "react";
import { checkSession, signOutTo } from "@/lib/auth/session-client";
import { intentBus } from "@/lib/query/intent-bus";
import { watchAccountSwitch } from "@/lib/wallet/injected-events";

/** How often the session endpoint runs: it re-issues the OMS token inside the cookie before it expires. */
const SESSION_REFRESH_MS = 4 * 60 * 1000;

/**
 * Keeps the signed-in state honest on authenticated pages: an expired session or a wallet switched to
 * another account goes back to /signin. Plain fetches to next-auth's endpoints (no next-auth/react, no
 * wagmi on these pages): the session is checked every few minutes and whenever the tab becomes visible.
 */
export function SessionGuard({ address, children }: { address: string; children: ReactNode }) {
  // A layout effect runs before any page's effects subscribe to the bus, so the first connection is already shared.
  useLayoutEffect(() => intentBus.shareAs(address), [address]);
  useEffect(() => {
    let isActive = true;
    const check = (): void => {
      void checkSession().then((state) => {
        if (isActive && state === "ended") window.location.assign("/signin?reason=expired");
      });
    };
    const onVisible = (): void => {
      if (document.visibilityState === "visible") check();
    };
    const timer = window.setInterval(check, SESSION_REFRESH_MS);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      isActive = false;
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, []);
  useEffect(
    () =>
      watchAccountSwitch(address, () => {
        signOutTo("/signin?reason=account-changed").catch((error: unknown) => {
          console.error("sign-out after account switch failed", error);
          window.location.assign("/signin?reason=account-changed");
        });
      }),
    [address],
  );
  return children;
}
