import { existsSync, readFileSync } from 'node:fs';
import { type LossSeries, renderLossSvg } from '@seqgen/trainer';
import type { RunResult } from './run.js';

/** A stored result: the run without its per-step curve, plus when and where it ran. */
export type ResultRow = Omit<RunResult, 'curve'> & { backend: string; date: string };

export const CELL_COLORS: Record<string, string> = { rnn: '#d62728', lstm: '#1f77b4', gru: '#2ca02c' };

/** Exponential moving average of a learning curve (for readable plots). */
export function smooth(points: ReadonlyArray<readonly [number, number]>, alpha = 0.05): Array<[number, number]> {
  let ema: number | undefined;
  return points.map(([x, y]) => {
    ema = ema === undefined ? y : ema + alpha * (y - ema);
    return [x, ema];
  });
}

/** SVG of the smoothed training loss of each cell, with the task's baseline as a flat line. */
export function curvesSvg(
  title: string,
  runs: readonly RunResult[],
  baselineLoss: number,
  baselineLabel: string,
): string {
  const series: LossSeries[] = runs.map((r) => ({
    label: `${r.cell} (${r.params} params)`,
    points: smooth(r.curve),
    color: CELL_COLORS[r.cell] ?? 'black',
  }));
  const maxStep = Math.max(1, ...runs.map((r) => r.steps));
  series.push({
    label: `baseline: ${baselineLabel}`,
    points: [
      [1, baselineLoss],
      [maxStep, baselineLoss],
    ],
    color: '#7f7f7f',
  });
  return withTitle(renderLossSvg(series, title), title);
}

/** Adds a `<title>` (accessible name; Biome's a11y lint wants it) right after the opening `<svg …>` tag. */
export function withTitle(svg: string, title: string): string {
  if (/<svg[^>]*>\s*<title>/.test(svg)) return svg;
  const escaped = title.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c] as string);
  return svg.replace(/<svg[^>]*>/, (open) => `${open}\n<title>${escaped}</title>`);
}

/** Previous rows, with the rows of the same task, T and cell replaced by `rows`. */
export function mergeRows(path: string, rows: readonly ResultRow[]): ResultRow[] {
  const old: ResultRow[] = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ResultRow[]) : [];
  const key = (r: ResultRow) => `${r.task}/${r.T}/${r.cell}`;
  const fresh = new Set(rows.map(key));
  const order = ['adding', 'copy', 'smnist', 'psmnist'];
  const cells = ['rnn', 'lstm', 'gru'];
  return [...old.filter((r) => !fresh.has(key(r))), ...rows].sort(
    (a, b) =>
      order.indexOf(a.task) - order.indexOf(b.task) || a.T - b.T || cells.indexOf(a.cell) - cells.indexOf(b.cell),
  );
}

const METRIC: Record<string, string> = {
  adding: 'test MSE',
  copy: 'test CE (nats)',
  smnist: 'test accuracy',
  psmnist: 'test accuracy',
};

function fmtMetric(task: string, v: number): string {
  return METRIC[task] === 'test accuracy' ? `${(100 * v).toFixed(1)}%` : v.toFixed(4);
}

/** The results table in Markdown (the README's table is pasted from this). */
export function markdownTable(rows: readonly ResultRow[]): string {
  const lines = [
    '| task | T | cell | hidden | params | batch | steps | train time | final metric | value | baseline | copy recall acc. |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const recall = r.task === 'copy' && r.testAccuracy !== null ? `${(100 * r.testAccuracy).toFixed(1)}%` : '';
    lines.push(
      `| ${r.task} | ${r.T} | ${r.cell} | ${r.hidden} | ${r.params.toLocaleString('en-US')} | ${r.batchSize} | ${r.steps} | ${r.trainSeconds.toFixed(0)} s | ${METRIC[r.task]} | ${fmtMetric(r.task, r.metric)} | ${fmtMetric(r.task, r.baseline)} | ${recall} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
