import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import type { ReactNode } from "react";
import { AppShell } from "@/components/layout/app-shell";
import type { NavVault } from "@/components/layout/nav";
import { SessionGuard } from "@/components/layout/session-guard";
import { parseTheme, THEME_COOKIE } from "@/components/layout/theme";
import { authOptions } from "@/lib/auth/options";
import { vaultRolesFor } from "@/lib/auth/roles";
import { QueryProvider } from "@/lib/query/provider";

/**
 * Every authenticated page. The session is checked here on the server (proxy.ts only does an
 * optimistic cookie check), and the navigation's vaults come from the chain's registry. The app's one
 * React Query client lives here, above every page: the canvas's wagmi uses it too.
 */
export default async function AuthenticatedLayout({ children }: { children: ReactNode }) {
  const session = await getServerSession(authOptions());
  if (!session?.address) redirect("/signin");

  let vaults: NavVault[] = [];
  let vaultsError: string | null = null;
  try {
    vaults = await vaultRolesFor(session.address);
  } catch (error) {
    console.error("[app] vault roles unavailable", error instanceof Error ? error.message : String(error));
    vaultsError = "Vaults could not be read from the chain.";
  }

  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);

  return (
    <SessionGuard address={session.address}>
      <QueryProvider me={vaultsError ? undefined : { address: session.address, vaults }}>
        <AppShell address={session.address} vaults={vaults} vaultsError={vaultsError} theme={theme}>
          {children}
        </AppShell>
      </QueryProvider>
    </SessionGuard>
  );
}
