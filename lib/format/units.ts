/**
 * Base units → a decimal string with `decimals` places, exact (bigint arithmetic, no floats): "1500000" with
 * 6 decimals is "1.5". Trailing fraction zeros are dropped; the sign is kept. Local so the pages that show
 * amounts do not ship viem for one function.
 */
export function formatUnits(value: bigint, decimals: number): string {
  if (!Number.isInteger(decimals) || decimals < 0)
    throw new RangeError(`decimals must be a whole number ≥ 0: ${decimals}`);
  const sign = value < 0n ? "-" : "";
  const digits = (value < 0n ? -value : value).toString();
  if (decimals === 0) return `${sign}${digits}`;
  const padded = digits.padStart(decimals + 1, "0");
  const integer = padded.slice(0, padded.length - decimals);
  const fraction = padded.slice(padded.length - decimals).replace(/0+$/, "");
  return fraction === "" ? `${sign}${integer}` : `${sign}${integer}.${fraction}`;
}
