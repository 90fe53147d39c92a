"use client";

import { PolicyEditor } from "@/components/approvals/policy/policy-editor";
import type { ChainProps } from "@/lib/wallet/chain";
import { WalletProviders } from "@/lib/wallet/providers";

/** A wallet route: saving signs SetApprovalPolicy. */
export function ApprovalPolicyPageClient(props: { chain: ChainProps; vaultId: string; canEdit: boolean }) {
  return (
    <WalletProviders chain={props.chain}>
      <PolicyEditor vaultId={props.vaultId} canEdit={props.canEdit} />
    </WalletProviders>
  );
}
