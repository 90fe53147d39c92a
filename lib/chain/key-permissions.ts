/** `SessionKeyExecutor` permission bits, in words a manager reads before signing. */
const KNOWN: readonly { bit: bigint; name: string }[] = [{ bit: 1n, name: "Execute hooks" }];

const MAX_NAMED = 8;

function countBits(value: bigint): number {
  let count = 0;
  for (let rest = value; rest > 0n; rest >>= 1n) count += Number(rest & 1n);
  return count;
}

export interface PermissionWords {
  bits: bigint;
  /** Known permissions by name, in bit order. */
  names: string[];
  /** Bits the console has no name for, as `bit N (0x…)`: never signed blind. */
  unknownBits: string[];
  canExecuteHooks: boolean;
}

export function describePermissions(bits: bigint): PermissionWords {
  const names = KNOWN.filter(({ bit }) => (bits & bit) === bit).map(({ name }) => name);
  const known = KNOWN.reduce((mask, { bit }) => mask | bit, 0n);
  const unknownBits: string[] = [];
  let rest = bits & ~known;
  for (let index = 0; rest > 0n; index++, rest >>= 1n) {
    if (!(rest & 1n)) continue;
    // A hostile mask may set 250 bits; the message names a few and counts the rest.
    if (unknownBits.length === MAX_NAMED) {
      unknownBits.push(`${countBits(rest)} more`);
      break;
    }
    unknownBits.push(`bit ${index} (0x${(1n << BigInt(index)).toString(16)})`);
  }
  return { bits, names, unknownBits, canExecuteHooks: (bits & 1n) === 1n };
}
