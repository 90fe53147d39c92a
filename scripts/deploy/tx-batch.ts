import {
  type Abi,
  type Address,
  concat,
  encodeDeployData,
  getContractAddress,
  getCreateAddress,
  type Hash,
  type Hex,
  type LocalAccount,
  type PublicClient,
} from "viem";
import { loadArtifact } from "../../contracts/artifacts";

/**
 * Sends many transactions from local accounts without waiting for each receipt: nonces are assigned here,
 * gas and fees are fixed up front (estimation would see state that is not mined yet), and every receipt is
 * checked at the end of a phase. Works with automine and with interval mining.
 */

const DEPLOY_GAS = 6_000_000n;
/** The deterministic deployment proxy (CREATE2 of `salt || initCode`), present on anvil and most chains. */
export const CREATE2_DEPLOYER: Address = "0x4e59b44847b379578588920cA78FbF26c0B4956C";
/** The EntryPoint's init code is close to the 24 KiB limit. */
const LARGE_DEPLOY_GAS = 12_000_000n;
const CALL_GAS = 500_000n;
/**
 * At most this much gas (the sum of the unsettled transactions' limits) waits in the pool: below the 30M block gas
 * limit, so with interval mining every waiting transaction fits in the next block. Anvil drops a transaction that
 * does not fit the block it builds, and with it every later nonce of its sender (seen: the deploy hung on a receipt).
 */
const MAX_UNSETTLED_GAS = 24_000_000n;

interface Pending {
  label: string;
  hash: Hash;
}

export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export interface TxBatch {
  /** Deploys contracts/out/<name>.json; resolves to the address it will have once mined. */
  deploy(from: LocalAccount, name: string, args?: readonly unknown[]): Promise<Address>;
  /**
   * Deploys `bytecode` through the deterministic CREATE2 deployer (anvil ships it) with `salt`, with a larger gas
   * limit; skipped when the address already holds code. Canonical addresses (the EntryPoint) need this.
   */
  deployCreate2(from: LocalAccount, name: string, bytecode: Hex, salt: Hex): Promise<Address>;
  /** The address `from`'s deployment `ahead` transactions from now will get (0 = the next one). */
  predictAddress(from: LocalAccount, ahead: number): Promise<Address>;
  /** Sends a call; `data` from viem's encodeFunctionData; `value` in wei (default 0). */
  call(from: LocalAccount, label: string, to: Address, data: Hex, value?: bigint): Promise<void>;
  /** Waits for every transaction sent so far and throws naming the first that reverted. */
  settle(): Promise<void>;
}

export async function fetchFees(client: PublicClient): Promise<Fees> {
  const estimate = await client.estimateFeesPerGas();
  // Headroom so later blocks' base fee never outgrows a transaction that was signed early.
  return { maxFeePerGas: estimate.maxFeePerGas * 3n, maxPriorityFeePerGas: estimate.maxPriorityFeePerGas };
}

export function createTxBatch(client: PublicClient, chainId: number, fees: Fees): TxBatch {
  const nonces = new Map<Address, number>();
  const pending: Pending[] = [];
  let unsettledGas = 0n;

  async function nextNonce(from: Address): Promise<number> {
    const known = nonces.get(from);
    const nonce = known ?? (await client.getTransactionCount({ address: from, blockTag: "pending" }));
    nonces.set(from, nonce + 1);
    return nonce;
  }

  async function settle(): Promise<void> {
    unsettledGas = 0n;
    const batch = pending.splice(0);
    const receipts = await Promise.all(
      batch.map(({ hash }) => client.waitForTransactionReceipt({ hash, pollingInterval: 50, timeout: 60_000 })),
    );
    const failed = receipts.findIndex((receipt) => receipt.status !== "success");
    if (failed >= 0) throw new Error(`deploy transaction reverted: ${batch[failed]!.label} (${batch[failed]!.hash})`);
  }

  async function send(from: LocalAccount, label: string, tx: { to?: Address; data: Hex; gas: bigint; value?: bigint }) {
    if (pending.length > 0 && unsettledGas + tx.gas > MAX_UNSETTLED_GAS) await settle();
    unsettledGas += tx.gas;
    const nonce = await nextNonce(from.address);
    const serializedTransaction = await from.signTransaction!({
      type: "eip1559",
      chainId,
      nonce,
      gas: tx.gas,
      ...fees,
      to: tx.to,
      data: tx.data,
      value: tx.value ?? 0n,
    });
    const hash = await client.sendRawTransaction({ serializedTransaction });
    pending.push({ label, hash });
    return nonce;
  }

  return {
    async deploy(from, name, args = []) {
      const artifact = loadArtifact(name);
      const data = encodeDeployData({ abi: artifact.abi as Abi, bytecode: artifact.bytecode, args });
      const nonce = await send(from, `deploy ${name}`, { data, gas: DEPLOY_GAS });
      return getCreateAddress({ from: from.address, nonce: BigInt(nonce) });
    },
    async deployCreate2(from, name, bytecode, salt) {
      const address = getContractAddress({ opcode: "CREATE2", from: CREATE2_DEPLOYER, salt, bytecode });
      const existing = await client.getCode({ address });
      if (existing === undefined || existing === "0x") {
        const data = concat([salt, bytecode]);
        await send(from, `deploy ${name}`, { to: CREATE2_DEPLOYER, data, gas: LARGE_DEPLOY_GAS });
      }
      return address;
    },
    async predictAddress(from, ahead) {
      const next = await nextNonce(from.address);
      nonces.set(from.address, next);
      return getCreateAddress({ from: from.address, nonce: BigInt(next + ahead) });
    },
    async call(from, label, to, data, value) {
      await send(from, label, { to, data, gas: CALL_GAS, value });
    },
    settle,
  };
}
