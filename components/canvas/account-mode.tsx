import { Badge } from "@/components/ui/badge";
import { ShortHex } from "@/components/ui/short-hex";
import type { AccountMode } from "@/lib/defix/intents";
import type { VaultAccount } from "@/lib/deployment/vault-account";

const MODE_TEXT: Record<AccountMode, { label: string; title: string }> = {
  OMS: { label: "OMS", title: "The OMS's session key calls the deployment's SessionKeyExecutor" },
  EIP4337: { label: "ERC-4337", title: "The vault is a smart account: user operations through the bundler" },
  EIP4337_COMPANION: {
    label: "ERC-4337 companion",
    title: "A companion smart account beside the vault: user operations through the bundler",
  },
  EIP7702: { label: "EIP-7702", title: "The strategy EOA delegates to the account code; the session key calls it" },
};

const HOLDER_ROLE: Record<AccountMode, string> = {
  OMS: "executor",
  EIP4337: "the vault",
  EIP4337_COMPANION: "companion",
  EIP7702: "strategy EOA",
};

/** The vault's account mode (how its intents execute), with a sentence on hover. */
export function AccountModeBadge({ mode }: { mode: AccountMode }) {
  const text = MODE_TEXT[mode];
  return (
    <Badge tone={mode === "OMS" ? "neutral" : "info"} title={text.title}>
      <span className="sr-only">Account mode: </span>
      {text.label}
    </Badge>
  );
}

/** Which account holds the vault's session key: its role, contract name and address (full on hover). */
export function KeyHolderText({ account }: { account: VaultAccount }) {
  return (
    <span>
      {HOLDER_ROLE[account.mode]} ({account.keyHolderName}) <ShortHex value={account.keyHolder} />
    </span>
  );
}
