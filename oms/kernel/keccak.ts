import { createKeccak, type IHasher } from "hash-wasm";
import { type Hex, keccak256 as keccak256Js, stringToBytes } from "viem";

/**
 * keccak256 for the OMS's hot paths (the idempotency key of every submit hashes ~1 kB of canonical JSON). viem's
 * keccak is pure JS (@noble/hashes): 68 µs for 852 bytes on this project's bench machine, 17 % of the OMS's CPU per
 * submit; hash-wasm's WebAssembly keccak gives the same digest in ~4 µs. The WebAssembly module is instantiated
 * once, asynchronously (`loadKeccak`, awaited when the OMS starts); until it is, or if a caller never loads it
 * (unit tests), the same digest comes from viem.
 */
let hasher: IHasher | undefined;
let loading: Promise<void> | undefined;

/** Instantiates the WebAssembly keccak (once; later calls share the first). Rejects if it cannot be compiled. */
export function loadKeccak(): Promise<void> {
  loading ??= createKeccak(256).then((instance) => {
    hasher = instance;
  });
  return loading;
}

/** Whether `keccak256` runs on WebAssembly (false: viem's JS keccak, the same digest). */
export const isKeccakLoaded = (): boolean => hasher !== undefined;

/** keccak256 of a UTF-8 string or of bytes, as 0x-prefixed hex: exactly viem's `keccak256(toBytes(input))`. */
export function keccak256(input: string | Uint8Array): Hex {
  if (hasher === undefined) return keccak256Js(typeof input === "string" ? stringToBytes(input) : input);
  // Synchronous from init to digest: no other call can interleave on the one instance.
  hasher.init();
  hasher.update(input);
  return `0x${hasher.digest("hex")}`;
}
