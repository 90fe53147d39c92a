import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";

export interface Figure {
  /** e.g. "read: GET /defix/intents/{id} (sqlite)" */
  name: string;
  value: number;
  unit: string;
  /** Value divided by the same-run baseline, when there is one. */
  ratio?: number;
  target?: string;
  met?: boolean;
  note?: string;
}

const figures: Figure[] = [];

/** Nearest-rank percentile of an unsorted sample. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Prints one figure as a line a reader can scan, and keeps it for the JSON summary. */
export function record(figure: Figure): void {
  figures.push(figure);
  const parts = [`${figure.name}: ${round(figure.value, 2)} ${figure.unit}`];
  if (figure.ratio !== undefined) parts.push(`ratio ${round(figure.ratio, 2)}`);
  if (figure.target !== undefined) parts.push(`target ${figure.target} → ${figure.met ? "MET" : "NOT MET"}`);
  if (figure.note !== undefined) parts.push(`(${figure.note})`);
  console.log(`  ${parts.join(" | ")}`);
}

export function section(title: string): void {
  console.log(`\n== ${title}`);
}

/** Appends this run's figures as one JSON line, so successive runs can be compared. */
export function saveFigures(file = path.join(".data", "bench", "results.jsonl")): string {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), figures })}\n`);
  return file;
}

export function allFigures(): readonly Figure[] {
  return figures;
}

/** The run's figures that have a target, as one table (figure / target / met) for the end of a run. */
export function printTargetTable(): void {
  const rows = figures.filter((figure) => figure.target !== undefined);
  if (rows.length === 0) return;
  const cells = rows.map((figure) => [
    figure.name,
    `${round(figure.value, 2)} ${figure.unit}${figure.ratio === undefined ? "" : ` (ratio ${round(figure.ratio, 2)})`}`,
    figure.target ?? "",
    figure.met ? "met" : "NOT MET",
  ]);
  const header = ["figure", "value", "target", "met"];
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: readonly string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ");
  console.log(`\n== targets (${rows.filter((figure) => figure.met).length} of ${rows.length} met)`);
  console.log(line(header));
  console.log(widths.map((width) => "-".repeat(width)).join("-|-"));
  for (const row of cells) console.log(line(row));
}
