import { z } from "zod";
import { Address, VaultId } from "../defix/common";

export interface ViewOnlyParse {
  /** address → vault ids, both lowercased. */
  grants: Map<string, string[]>;
  /** Entries that are not `0xaddr=chainId:0xvault,…`, verbatim. */
  rejected: string[];
}

/**
 * `VIEW_ONLY=addr=vault_id,vault_id;addr=…`: the one parser every process uses. The services refuse
 * to boot on a rejected entry (`ViewOnlyEnv`); the dashboard warns and skips it, since it must still draw.
 */
export function parseViewOnly(value: string | undefined): ViewOnlyParse {
  const grants = new Map<string, string[]>();
  const rejected: string[] = [];
  for (const entry of (value ?? "").split(";").map((part) => part.trim())) {
    if (entry === "") continue;
    const [rawAddress, rawVaults = ""] = entry.split("=");
    const address = Address.safeParse(rawAddress?.trim());
    const vaults = rawVaults.split(",").map((vault) => VaultId.safeParse(vault.trim()));
    if (!address.success || vaults.some((vault) => !vault.success)) {
      rejected.push(entry);
      continue;
    }
    const existing = grants.get(address.data) ?? [];
    grants.set(address.data, [...existing, ...vaults.flatMap((vault) => (vault.success ? [vault.data] : []))]);
  }
  return { grants, rejected };
}

/** The env form: a typo in a grant fails the boot instead of silently granting nothing. */
export const ViewOnlyEnv = z.string().transform((value, ctx) => {
  const { grants, rejected } = parseViewOnly(value);
  for (const entry of rejected) {
    ctx.addIssue({ code: "custom", message: `VIEW_ONLY entry "${entry}" must look like 0xaddr=chainId:0xvault,…` });
  }
  return rejected.length > 0 ? z.NEVER : grants;
});
