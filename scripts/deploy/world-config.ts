import { DEV_ACCOUNT_ROLES } from "../../lib/chain/dev-accounts";

/** The seeded dev world: who manages what, how much sits where. Amounts in dUSD base units (6 decimals). */

export const DUSD = 1_000_000n;

export const ASSET = { name: "Dev USD", symbol: "dUSD", decimals: 6 } as const;

/** One day: long enough that a proposed root cannot slip in unnoticed, `evm_increaseTime` skips it in tests. */
export const HOOKS_ROOT_TIMELOCK_SECONDS = 86_400n;

/** Seed liquidity from the deployer, then a donation that lifts the share price so sources differ. */
export const YIELD_SOURCES = [
  { key: "aave", name: "Aave-like Lending", symbol: "ysAAVE", seed: 1_000_000n * DUSD, donation: 30_000n * DUSD },
  { key: "morpho", name: "Morpho-like Vault", symbol: "ysMORPHO", seed: 1_000_000n * DUSD, donation: 60_000n * DUSD },
  { key: "euler", name: "Euler-like Market", symbol: "ysEULER", seed: 1_000_000n * DUSD, donation: 0n },
] as const;

export const VAULTS = [
  {
    name: "Alpha Vault",
    symbol: "svALPHA",
    primary: DEV_ACCOUNT_ROLES.managerOne,
    secondaries: [DEV_ACCOUNT_ROLES.managerTwo],
    userDeposit: 250_000n * DUSD,
  },
  {
    name: "Beta Vault",
    symbol: "svBETA",
    primary: DEV_ACCOUNT_ROLES.managerOne,
    secondaries: [],
    userDeposit: 100_000n * DUSD,
  },
  {
    name: "Gamma Vault",
    symbol: "svGAMMA",
    primary: DEV_ACCOUNT_ROLES.managerTwo,
    secondaries: [],
    userDeposit: 50_000n * DUSD,
  },
] as const;

/** Extra dUSD the depositor keeps in the wallet for deposits made from the dashboard. */
export const DEPOSITOR_WALLET_BALANCE = 100_000n * DUSD;

export const ACCOUNT_LABELS: ReadonlyArray<{ index: number; label: string }> = [
  { index: DEV_ACCOUNT_ROLES.deployer, label: "deployer" },
  { index: DEV_ACCOUNT_ROLES.managerOne, label: "manager one" },
  { index: DEV_ACCOUNT_ROLES.managerTwo, label: "manager two" },
  { index: DEV_ACCOUNT_ROLES.viewer, label: "viewer" },
  { index: DEV_ACCOUNT_ROLES.depositor, label: "depositor" },
  { index: DEV_ACCOUNT_ROLES.runner, label: "strategy runner" },
];

/**
 * One vault per smart-account mode, appended after the OMS-mode vaults A/B/C (docs/ARCHITECTURE.md, "Account
 * modes"). svZETA's strategy EOA is its primary manager's own address (it signs the EIP-7702 authorization).
 */
export const MODE_VAULTS = [
  {
    name: "Delta Vault",
    symbol: "svDELTA",
    mode: "EIP4337",
    primary: DEV_ACCOUNT_ROLES.managerOne,
    secondaries: [],
    userDeposit: 50_000n * DUSD,
  },
  {
    name: "Epsilon Vault",
    symbol: "svEPSILON",
    mode: "EIP4337_COMPANION",
    primary: DEV_ACCOUNT_ROLES.managerOne,
    secondaries: [],
    userDeposit: 50_000n * DUSD,
  },
  {
    name: "Zeta Vault",
    symbol: "svZETA",
    mode: "EIP7702",
    primary: DEV_ACCOUNT_ROLES.managerTwo,
    secondaries: [],
    userDeposit: 50_000n * DUSD,
  },
] as const;

/** EntryPoint deposit each 4337 account starts with (wei): what its user ops pay gas from. */
export const ACCOUNT_ENTRYPOINT_DEPOSIT = 10n * 10n ** 18n;
