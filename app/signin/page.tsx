import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { arrivalMessage } from "@/lib/auth/messages";
import { authOptions } from "@/lib/auth/options";
import { sameOriginPath } from "@/lib/auth/redirect";
import { chainId, nextAuthUrl, publicRpcUrl } from "@/lib/auth/server-config";
import { SignInClient } from "./signin-client";

export const metadata: Metadata = { title: "Sign in" };

/**
 * wagmi needs some URL to build its client; sign-in itself only talks to the wallet. Without a public RPC URL
 * the page gets this same-origin path, which answers 404 if anything ever calls it (nothing secret either way).
 */
const RPC_WITHHELD = "/api/chain/rpc-withheld";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackPath = sameOriginPath(first(params.callbackUrl), nextAuthUrl());
  const session = await getServerSession(authOptions());
  if (session?.address) redirect(callbackPath);

  const id = chainId();
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-md rounded-lg border border-zinc-200 bg-surface p-8 shadow-sm">
        <h1 className="text-xl font-semibold">Sign in to the DeFiX console</h1>
        <p className="mt-2 text-sm text-zinc-600">
          Connect the wallet of a vault manager and sign a message (Sign-In with Ethereum). Signing costs no gas and
          sends no transaction.
        </p>
        {id === null ? (
          <p role="alert" className="mt-6 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
            No deployment was found. Start the stack with <code>npm start</code>, then reload this page.
          </p>
        ) : (
          <SignInClient
            chain={{ id, rpcUrl: publicRpcUrl() ?? RPC_WITHHELD }}
            callbackPath={callbackPath}
            notice={arrivalMessage(first(params.reason)) ?? refusalFromQuery(first(params.error))}
          />
        )}
      </div>
    </main>
  );
}

/** next-auth redirects failed credential sign-ins here with `?error=`; only known codes are shown. */
function refusalFromQuery(error: string | undefined): string | null {
  return error ? "Sign-in failed. Please connect and sign again." : null;
}
