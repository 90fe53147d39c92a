import type { CostGroup } from "@/lib/defix/costs";
import { formatTokenAmount } from "@/lib/format/amount";

const WIDTH = 640;
const HEIGHT = 140;
const GAP = 2;

/**
 * Wei spent per day, stacked: successful (green) under wasted (red). Hand-drawn SVG like the
 * overview's outcome chart; each bar's title gives the day's exact figures.
 */
export function CostChart({ days, label }: { days: readonly CostGroup[]; label: string }) {
  let peak = 1n;
  for (const day of days) {
    const total = BigInt(day.total_wei);
    if (total > peak) peak = total;
  }
  const barWidth = Math.max(1, WIDTH / Math.max(1, days.length) - GAP);
  // Heights as a fraction of the peak, in basis points: wei totals are beyond a float's exact range.
  const heightOf = (wei: bigint) => (Number((wei * 10_000n) / peak) / 10_000) * (HEIGHT - 4);
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} className="block h-36 w-full">
      <line x1={0} x2={WIDTH} y1={HEIGHT - 1} y2={HEIGHT - 1} className="stroke-zinc-200" strokeWidth={1} />
      {days.map((day, i) => {
        const x = i * (barWidth + GAP);
        const ok = heightOf(BigInt(day.successful_wei));
        const wasted = heightOf(BigInt(day.wasted_wei));
        return (
          <g key={day.key} data-day={day.key}>
            <title>{`${day.key}: ${formatTokenAmount(day.successful_wei, 18, 6)} ETH successful, ${formatTokenAmount(day.wasted_wei, 18, 6)} ETH wasted, ${day.transactions} transactions`}</title>
            <rect x={x} y={HEIGHT - 1 - ok} width={barWidth} height={ok} className="fill-emerald-500" />
            <rect x={x} y={HEIGHT - 1 - ok - wasted} width={barWidth} height={wasted} className="fill-red-500" />
          </g>
        );
      })}
    </svg>
  );
}
