/**
 * `pnpm fuzz --minutes N [--target NAME]… [--seed S] [--timeout-ms MS] [--memory-mb MB]`
 *
 * Replays the regression corpus, then fuzzes every target for an equal share
 * of N minutes, prints a per-target table, and saves every new failing input
 * (untyped error, hang, crash) to `packages/fuzz/corpus/<target>/<sha256 prefix>.bin`.
 * Exits 1 when anything failed.
 */
import { fuzzTarget, isFailure, readCorpus, Sandbox, saveFinding, type TargetStats } from './runner.js';
import type { Outcome } from './target.js';
import { TARGETS, targetNamed } from './targets.js';

function parseArgs(argv: string[]) {
  const options = { minutes: 1, seed: Date.now() % 2 ** 31, targets: [] as string[], timeoutMs: 5_000, memoryMb: 1024 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--') continue;
    if (arg === '--minutes') options.minutes = Number(value());
    else if (arg === '--seed') options.seed = Number(value());
    else if (arg === '--target') options.targets.push(value());
    else if (arg === '--timeout-ms') options.timeoutMs = Number(value());
    else if (arg === '--memory-mb') options.memoryMb = Number(value());
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: pnpm fuzz --minutes N [--target NAME]… [--seed S] [--timeout-ms MS] [--memory-mb MB]');
      console.log(`targets: ${TARGETS.map((t) => t.name).join(', ')}`);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  for (const [name, v] of Object.entries(options)) {
    if (typeof v === 'number' && !(Number.isFinite(v) && v > 0)) throw new Error(`--${name} must be a positive number`);
  }
  return options;
}

function table(rows: TargetStats[]): string {
  const header = ['target', 'inputs tried', 'ok', 'typed errors', 'untyped errors', 'hangs', 'crashes'];
  const lines = rows.map((r) => [r.target, r.tried, r.ok, r.typed, r.untyped, r.hang, r.crash].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const fmt = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ')} |`;
  return [
    fmt(header),
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...lines.map(fmt),
  ].join('\n');
}

const options = parseArgs(process.argv.slice(2));
const targets = options.targets.length ? options.targets.map(targetNamed) : [...TARGETS];
const sandbox = new Sandbox({ timeoutMs: options.timeoutMs, memoryMb: options.memoryMb });
let failed = false;
try {
  // 1. The regression corpus: inputs that failed before.
  const corpus = readCorpus().filter((c) => targets.some((t) => t.name === c.target));
  const known = new Set<string>();
  let stillFailing = 0;
  for (const entry of corpus) {
    known.add(`${entry.target}/${entry.id}`);
    const result = await sandbox.run(targetNamed(entry.target), entry.bytes);
    if (isFailure(result.outcome)) {
      stillFailing++;
      console.log(`corpus ${entry.target}/${entry.id}: still ${result.outcome}: ${result.error ?? ''}`);
    }
  }
  console.log(`regression corpus: ${corpus.length} inputs replayed, ${stillFailing} still failing`);
  if (stillFailing > 0) failed = true;

  // 2. Fuzzing: an equal share of the time per target.
  console.log(`fuzzing ${targets.map((t) => t.name).join(', ')} for ${options.minutes} min (seed ${options.seed})`);
  const share = (options.minutes * 60_000) / targets.length;
  const rows: TargetStats[] = [];
  for (const target of targets) {
    const start = performance.now();
    const seeds = await sandbox.seeds(target);
    const { stats, findings } = await fuzzTarget(sandbox, target, seeds, {
      seed: options.seed,
      deadline: start + share,
      known,
    });
    rows.push(stats);
    // Many inputs hit one bug: keep at most three per kind of failure.
    const perKind = new Map<string, number>();
    for (const f of findings) {
      const kind = `${f.result.outcome}:${(f.result.error ?? '').replace(/\d+/g, 'N').slice(0, 80)}`;
      const n = perKind.get(kind) ?? 0;
      perKind.set(kind, n + 1);
      if (n >= 3) continue;
      const file = saveFinding(f);
      console.log(
        `  ${f.result.outcome as Outcome} in ${target.name}: ${f.result.error ?? ''}\n    input: ${f.description}\n    saved: ${file}`,
      );
    }
    if (findings.length > 0) failed = true;
    console.log(`${target.name}: ${stats.tried} inputs in ${((performance.now() - start) / 1000).toFixed(0)} s`);
  }
  console.log(`\n${table(rows)}\n`);
  console.log(
    `(pnpm fuzz --minutes ${options.minutes} --seed ${options.seed}; per input: ${options.timeoutMs} ms, ${options.memoryMb} MiB)`,
  );
} finally {
  sandbox.close();
}
process.exit(failed ? 1 : 0);
