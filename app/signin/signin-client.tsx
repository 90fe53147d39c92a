"use client";

import { useSession } from "next-auth/react";
import { useCallback, useEffect, useState } from "react";
import { refusalMessage } from "@/lib/auth/messages";
import { sameOriginPath } from "@/lib/auth/redirect";
import { QueryProvider } from "@/lib/query/provider";
import type { ChainProps } from "@/lib/wallet/chain";
import { ConnectButton } from "@/lib/wallet/connect-button";
import { WalletProviders } from "@/lib/wallet/providers";

interface SignInClientProps {
  chain: ChainProps;
  callbackPath: string;
  notice: string | null;
}

export function SignInClient({ chain, callbackPath, notice }: SignInClientProps) {
  const [refusal, setRefusal] = useState<string | null>(null);
  const onRefused = useCallback((reason: string) => setRefusal(refusalMessage(reason)), []);
  // The sign-in page is its own document (the dashboard is entered with a full page load), so this is
  // the tab's one client while it is open, not a second cache beside the dashboard's.
  return (
    <QueryProvider>
      <WalletProviders chain={chain} withSiwe onSiweRefused={onRefused} initialSession={null}>
        <div className="mt-6 flex flex-col gap-4">
          {notice && !refusal ? (
            <p role="status" className="rounded-md bg-sky-50 p-3 text-sm text-sky-900">
              {notice}
            </p>
          ) : null}
          {refusal ? (
            <p role="alert" className="rounded-md bg-rose-50 p-3 text-sm text-rose-900">
              {refusal}
            </p>
          ) : null}
          <ConnectButton label="Connect wallet" showBalance={false} chainStatus="none" accountStatus="address" />
          <RedirectWhenSignedIn callbackPath={callbackPath} />
        </div>
      </WalletProviders>
    </QueryProvider>
  );
}

/** A full page load after sign-in, so the dashboard starts without the wallet bundle of this page. */
function RedirectWhenSignedIn({ callbackPath }: { callbackPath: string }) {
  const { status } = useSession();
  useEffect(() => {
    // Re-checked here: whatever reached this prop, the browser only ever navigates on this origin.
    if (status === "authenticated") window.location.assign(sameOriginPath(callbackPath, window.location.origin));
  }, [status, callbackPath]);
  return status === "authenticated" ? (
    <p role="status" className="text-sm text-zinc-600">
      Signed in. Opening the dashboard…
    </p>
  ) : null;
}
