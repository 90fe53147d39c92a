import type { ReactNode } from "react";

/** A decoded EIP-712 request: the domain (who it binds to) and every message field, before the wallet opens. */
export function TypedDataPreview({
  title,
  domain,
  message,
}: {
  title: string;
  domain: { name: string; version: string; chainId: number; verifyingContract: string };
  message: Record<string, string | bigint | number>;
}) {
  const row = (label: string, value: ReactNode) => (
    <div key={label} className="grid grid-cols-[10rem_1fr] gap-2">
      <dt className="text-zinc-600">{label}</dt>
      <dd className="font-mono break-all">{value}</dd>
    </div>
  );
  return (
    <div
      className="space-y-1 rounded-md border border-zinc-300 bg-zinc-50 p-3 text-xs"
      data-testid="typed-data-preview"
    >
      <p className="font-semibold text-sm">You are about to sign: {title}</p>
      <dl className="space-y-0.5">
        {row("Domain", `${domain.name} v${domain.version}`)}
        {row("Chain", domain.chainId)}
        {row("Vault (verifying contract)", domain.verifyingContract)}
        {Object.entries(message).map(([key, value]) => row(key, String(value)))}
      </dl>
    </div>
  );
}
