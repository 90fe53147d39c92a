import { type HDAccount, mnemonicToAccount } from "viem/accounts";

/** Anvil's well-known dev mnemonic. These keys hold value only on a local chain. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

export const DEV_ACCOUNT_ROLES = {
  deployer: 0,
  managerOne: 1,
  managerTwo: 2,
  viewer: 3,
  depositor: 4,
  outsider: 5,
  runner: 9,
} as const;

const derived = new Map<number, HDAccount>();

/** Dev account by index; memoised because each derivation runs the mnemonic's PBKDF2 (tens of ms). */
export function devAccount(index: number): HDAccount {
  if (!Number.isInteger(index) || index < 0 || index > 19)
    throw new Error(`dev account index must be 0..19, got ${index}`);
  let account = derived.get(index);
  if (!account) {
    account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index });
    derived.set(index, account);
  }
  return account;
}
