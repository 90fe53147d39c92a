import { formatUnits } from "./units";

export interface TokenInfo {
  address: string;
  symbol: string;
  decimals: number;
}

/** Groups the integer part with thin commas so 1234567.5 reads as 1,234,567.5. */
function groupThousands(integer: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * Formats base units (a decimal string, never a JS number: amounts exceed 2^53) as a token amount.
 * Trailing zeros are trimmed; at most `maxFractionDigits` are kept, truncating toward zero so a
 * displayed amount is never larger than the real one.
 */
export function formatTokenAmount(raw: string | bigint, decimals: number, maxFractionDigits = 4): string {
  const value = typeof raw === "bigint" ? raw : BigInt(raw);
  const isNegative = value < 0n;
  const full = formatUnits(isNegative ? -value : value, decimals);
  const [integer = "0", fraction = ""] = full.split(".");
  const kept = fraction.slice(0, maxFractionDigits).replace(/0+$/, "");
  const isTruncatedToZero = integer === "0" && kept === "" && fraction.replace(/0+$/, "") !== "";
  if (isTruncatedToZero) return `${isNegative ? ">-" : "<"}0.${"0".repeat(Math.max(maxFractionDigits - 1, 0))}1`;
  const sign = isNegative ? "-" : "";
  return kept ? `${sign}${groupThousands(integer)}.${kept}` : `${sign}${groupThousands(integer)}`;
}

/** The exact value with every decimal, for the hover/click "raw" view. */
export function formatTokenAmountExact(raw: string | bigint, decimals: number): string {
  const value = typeof raw === "bigint" ? raw : BigInt(raw);
  return formatUnits(value, decimals);
}

/** `1,234.5 dUSD`, or null when the amount is unknown (no receipt yet): callers say so in words. */
export function formatTokenLabel(raw: string | null, token: TokenInfo | null): string | null {
  if (raw === null) return null;
  if (!token) return `${raw} (base units)`;
  return `${formatTokenAmount(raw, token.decimals)} ${token.symbol}`;
}

/** Wei as a decimal string → gwei for fee display. */
export function formatGwei(wei: string): string {
  return `${formatTokenAmount(wei, 9, 3)} gwei`;
}
