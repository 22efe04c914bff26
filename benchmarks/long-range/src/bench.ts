/**
 * Long-range dependency benchmark: vanilla RNN vs LSTM vs GRU (same parameter
 * budget) on the adding problem, the copy memory task and sequential / permuted
 * MNIST, trained by @seqgen/trainer.
 *
 *   pnpm --filter @seqgen/bench-long-range bench [--task adding,copy,smnist,psmnist]
 *     [--cell rnn,lstm,gru] [--minutes M] [--steps N] [--lengths 100,200,400]
 *     [--delay 100] [--batch B] [--test-size N] [--per-class N] [--seed S] [--out DIR]
 *
 * Writes `<out>/<task>-T<T>.svg` (learning curves per cell), `<out>/results.json`
 * (merged with earlier runs) and `<out>/results.md`, and prints the table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { StackedCellType } from '@seqgen/cells';
import { initBackend } from '@seqgen/core';
import { curvesSvg, markdownTable, mergeRows, type ResultRow } from './report.js';
import { type RunResult, runTask } from './run.js';
import { addingSpec, copySpec, mnistSpec, TASK_NAMES, type TaskName, type TaskSpec } from './tasks/specs.js';

const { values } = parseArgs({
  options: {
    task: { type: 'string', default: TASK_NAMES.join(',') },
    cell: { type: 'string', default: 'rnn,lstm,gru' },
    minutes: { type: 'string', default: '2' },
    steps: { type: 'string', default: '100000' },
    lengths: { type: 'string', default: '100,200,400' },
    delay: { type: 'string', default: '100' },
    batch: { type: 'string' },
    'test-size': { type: 'string' },
    'per-class': { type: 'string' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: 'results' },
  },
});

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const num = (s: string | undefined, name: string): number | undefined => {
  if (s === undefined) return undefined;
  const v = Number(s);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number, got ${JSON.stringify(s)}`);
  return v;
};
const tasks = list(values.task as string) as TaskName[];
for (const t of tasks)
  if (!TASK_NAMES.includes(t)) throw new Error(`--task: unknown task ${JSON.stringify(t)} (${TASK_NAMES.join('|')})`);
const cells = list(values.cell as string) as StackedCellType[];
for (const c of cells)
  if (!['rnn', 'lstm', 'gru'].includes(c)) throw new Error(`--cell: unknown cell ${JSON.stringify(c)}`);
const minutes = num(values.minutes, 'minutes') as number;
const steps = Math.floor(num(values.steps, 'steps') as number);
const seed = Math.floor(Number(values.seed));
const out = values.out as string;
const specOptions = {
  seed,
  ...(values.batch ? { batchSize: num(values.batch, 'batch') } : {}),
  ...(values['test-size'] ? { testSize: num(values['test-size'], 'test-size') } : {}),
  ...(values['per-class'] ? { perClass: num(values['per-class'], 'per-class') } : {}),
};

const backend = await initBackend();
console.log(`backend: ${backend.active}; ${minutes} min or ${steps} steps per run; cells ${cells.join(', ')}`);
mkdirSync(out, { recursive: true });

function* specs(): Generator<TaskSpec> {
  for (const task of tasks) {
    if (task === 'adding') for (const T of list(values.lengths as string)) yield addingSpec(Number(T), specOptions);
    if (task === 'copy') yield copySpec(Number(values.delay), specOptions);
    if (task === 'smnist' || task === 'psmnist') yield mnistSpec(task === 'psmnist', specOptions);
  }
}

const rows: ResultRow[] = [];
const date = new Date().toISOString().slice(0, 10);
for (const spec of specs()) {
  console.log(
    `\n== ${spec.task} T=${spec.T} (${spec.time} steps/sequence, batch ${spec.batchSize}): ${spec.notes}; baseline ${spec.baselineLabel} = ${spec.baseline.toFixed(4)}`,
  );
  const runs: RunResult[] = [];
  for (const cell of cells) {
    const r = await runTask(spec, cell, { steps, minutes, seed });
    runs.push(r);
    const { curve: _curve, ...row } = r;
    rows.push({ ...row, backend: backend.active, date });
    const acc = r.testAccuracy === null ? '' : `, accuracy ${(100 * r.testAccuracy).toFixed(1)}%`;
    console.log(
      `${cell.padEnd(4)} hidden ${r.hidden}, ${r.params} params: ${r.steps} steps in ${r.trainSeconds.toFixed(0)} s; test loss ${r.testLoss.toFixed(4)}${acc} (baseline ${spec.baseline.toFixed(4)})`,
    );
  }
  const file = join(out, `${spec.task}-T${spec.T}.svg`);
  writeFileSync(
    file,
    curvesSvg(`${spec.task} T=${spec.T}: training loss (EMA)`, runs, spec.baselineLoss, spec.baselineLabel),
  );
  console.log(`plot: ${file}`);
}
const all = mergeRows(join(out, 'results.json'), rows);
writeFileSync(join(out, 'results.json'), `${JSON.stringify(all, null, 2)}\n`);
const table = markdownTable(all);
writeFileSync(join(out, 'results.md'), table);
console.log(`\n${table}`);
