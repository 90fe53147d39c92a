import { shortHex } from "@/lib/format/hex";

/**
 * A hash, address or id shortened for the eye (`0x12345678…abcd`, full value on hover) while screen
 * readers get the whole value: the short text is hidden from them, the full one is visually hidden.
 */
export function ShortHex({
  value,
  short = shortHex(value),
  className = "font-mono",
}: {
  value: string;
  short?: string;
  className?: string;
}) {
  return (
    <span title={value} className={className}>
      <span aria-hidden="true">{short}</span>
      <span className="sr-only">{value}</span>
    </span>
  );
}
