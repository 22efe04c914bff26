import { type ChildProcess, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nextInput } from './mutators.js';
import { FuzzRng } from './rng.js';
import type { FuzzInput, Outcome, RunResult, Target } from './target.js';
import type { Seed } from './test-fixtures/seeds.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const here = dirname(fileURLToPath(import.meta.url));
export const PACKAGE_ROOT = join(here, '..');
/** The regression corpus: every input that ever failed, `corpus/<target>/<sha256 prefix>.bin`. */
export const CORPUS_DIR = join(PACKAGE_ROOT, 'corpus');

export interface SandboxOptions {
  /** Longest one input may run before it counts as a hang (default 5 s). */
  timeoutMs?: number;
  /** Most resident memory the worker may reach while parsing before it counts as a crash (default 1024 MiB). */
  memoryMb?: number;
}

/** SHA-256 prefix naming an input in the corpus. */
export function inputId(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs parsers in a child process, one input at a time, each under a time
 * limit and a memory limit: a hang or a runaway allocation kills the worker
 * (and is recorded), and the next input gets a fresh one.
 */
export class Sandbox {
  readonly timeoutMs: number;
  readonly memoryMb: number;
  readonly workDir: string;
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private pending = new Map<number, (reply: WorkerReply | { kind: 'exit'; why: string }) => void>();
  private stderr = '';

  constructor(options: SandboxOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.memoryMb = options.memoryMb ?? 1024;
    this.workDir = mkdtempSync(join(tmpdir(), 'seqgen-fuzz-'));
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const child = fork(join(here, 'worker.ts'), [], {
      cwd: PACKAGE_ROOT,
      execArgv: ['--import', 'tsx', `--max-old-space-size=${Math.max(256, Math.floor(this.memoryMb * 0.75))}`],
      env: { ...process.env, SEQGEN_FUZZ_WORKDIR: this.workDir, TF_CPP_MIN_LOG_LEVEL: '3' },
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child = child;
    this.stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-2000);
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const onReady = (message: WorkerReply) => {
        if (message.kind === 'ready') {
          child.off('message', onReady);
          resolve();
        }
      };
      child.on('message', onReady);
      child.once('exit', (code, signal) =>
        reject(new Error(`fuzz worker exited before it was ready (${signal ?? code}): ${this.stderr}`)),
      );
    });
    child.on('message', (message: WorkerReply) => {
      if (message.kind === 'ready') return;
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message);
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) {
        this.child = undefined;
        this.ready = undefined;
      }
      for (const [id, resolve] of this.pending) {
        this.pending.delete(id);
        resolve({ kind: 'exit', why: `worker exited (${signal ?? `code ${code}`})` });
      }
    });
    return this.ready;
  }

  /** Kills the worker (the next request starts a new one). */
  kill(): void {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  private async request(
    message: DistributiveOmit<WorkerRequest, 'id'>,
    limits: { timeoutMs: number; memoryMb: number },
  ): Promise<WorkerReply | { kind: 'hang' } | { kind: 'oom'; mb: number } | { kind: 'exit'; why: string }> {
    await this.start();
    const child = this.child as ChildProcess;
    const id = this.nextId++;
    return new Promise((resolve) => {
      let done = false;
      const finish = (
        reply: WorkerReply | { kind: 'hang' } | { kind: 'oom'; mb: number } | { kind: 'exit'; why: string },
      ) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(watch);
        this.pending.delete(id);
        resolve(reply);
      };
      const timer = setTimeout(() => {
        finish({ kind: 'hang' });
        this.kill();
      }, limits.timeoutMs);
      const watch = setInterval(() => {
        const mb = child.pid === undefined ? undefined : rssMb(child.pid);
        if (mb !== undefined && mb > limits.memoryMb) {
          finish({ kind: 'oom', mb });
          this.kill();
        }
      }, 50);
      this.pending.set(id, finish);
      child.send({ ...message, id } as WorkerRequest);
    });
  }

  /** The seeds of `target`, made by the worker (it has the parsers' packages loaded). */
  async seeds(target: Target): Promise<Seed[]> {
    const reply = await this.request({ kind: 'seeds', target: target.name }, { timeoutMs: 300_000, memoryMb: 4096 });
    if (reply.kind !== 'seeds')
      throw new Error(`fuzz worker could not make the seeds of ${target.name}: ${JSON.stringify(reply)}`);
    return reply.seeds.map((s) => ({ name: s.name, bytes: new Uint8Array(s.bytes) }));
  }

  /** Runs one input through `target`'s parser. */
  async run(target: Target, input: Uint8Array): Promise<RunResult> {
    await this.start();
    const started = performance.now();
    const reply = await this.request(
      { kind: 'parse', target: target.name, input },
      { timeoutMs: this.timeoutMs, memoryMb: this.memoryMb },
    );
    const ms = Math.round(performance.now() - started);
    // A worker that grew large on an accepted input is replaced before it counts against the next one.
    const mb = this.child?.pid === undefined ? undefined : rssMb(this.child.pid);
    if (mb !== undefined && mb > this.memoryMb * 0.6) this.kill();
    switch (reply.kind) {
      case 'parse':
        return { outcome: reply.outcome, ...(reply.error ? { error: this.shorten(reply.error) } : {}), ms };
      case 'hang':
        return { outcome: 'hang', error: `no answer within ${this.timeoutMs} ms`, ms };
      case 'oom':
        return {
          outcome: 'crash',
          error: `out of memory: resident ${Math.round(reply.mb)} MiB > ${this.memoryMb} MiB`,
          ms,
        };
      case 'exit':
        return {
          outcome: 'crash',
          error: `${reply.why}${this.stderr ? `: ${this.stderr.trim().split('\n').slice(-1)[0]}` : ''}`,
          ms,
        };
      default:
        return { outcome: 'crash', error: `worker failed: ${JSON.stringify(reply)}`, ms };
    }
  }

  /** The scratch folder of an input, as `<input>` (messages of one bug read the same). */
  private shorten(message: string): string {
    const dir = this.workDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return message.replace(new RegExp(`${dir}/scratch-\\d+/in-[^/\\s:]+`, 'g'), '<input>');
  }

  close(): void {
    this.kill();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

export interface TargetStats {
  target: string;
  tried: number;
  ok: number;
  typed: number;
  untyped: number;
  hang: number;
  crash: number;
}

export interface Finding extends FuzzInput {
  target: string;
  id: string;
  result: RunResult;
}

export const isFailure = (outcome: Outcome) => outcome === 'untyped' || outcome === 'hang' || outcome === 'crash';

export interface FuzzOptions {
  /** Seed of the input generator (the same seed tries the same inputs). */
  seed: number;
  /** Stop after this many inputs… */
  count?: number;
  /** …or at this time (`performance.now()` ms). */
  deadline?: number;
  /** Inputs (by {@link inputId}) known to fail: run, counted, but not reported as new findings. */
  known?: ReadonlySet<string>;
  onResult?: (input: FuzzInput, id: string, result: RunResult) => void;
}

/** Fuzzes one target: mutated seeds and property-based inputs, each in the sandbox. */
export async function fuzzTarget(
  sandbox: Sandbox,
  target: Target,
  seeds: readonly Seed[],
  options: FuzzOptions,
): Promise<{ stats: TargetStats; findings: Finding[] }> {
  const rng = new FuzzRng(options.seed);
  const stats: TargetStats = { target: target.name, tried: 0, ok: 0, typed: 0, untyped: 0, hang: 0, crash: 0 };
  const findings: Finding[] = [];
  const seen = new Set<string>();
  let attempts = 0;
  while (
    (options.count === undefined || stats.tried < options.count) &&
    (options.deadline === undefined || performance.now() < options.deadline) &&
    attempts < (options.count ?? Number.POSITIVE_INFINITY) * 5 + 1000
  ) {
    attempts++;
    const input = nextInput(target, seeds, rng);
    const id = inputId(input.bytes);
    if (seen.has(id)) continue;
    seen.add(id);
    const result = await sandbox.run(target, input.bytes);
    stats.tried++;
    stats[result.outcome]++;
    options.onResult?.(input, id, result);
    if (isFailure(result.outcome) && !options.known?.has(`${target.name}/${id}`)) {
      findings.push({ ...input, target: target.name, id, result });
    }
  }
  return { stats, findings };
}

/** Saves a failing input to the regression corpus (with a `.json` note of how it was made and what it did). */
export function saveFinding(finding: Finding, dir = CORPUS_DIR): string {
  const folder = join(dir, finding.target);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${finding.id}.bin`);
  writeFileSync(file, finding.bytes);
  writeFileSync(
    join(folder, `${finding.id}.json`),
    `${JSON.stringify({ target: finding.target, input: finding.description, bytes: finding.bytes.length, outcomeWhenSaved: finding.result.outcome, errorWhenSaved: finding.result.error ?? null }, null, 2)}\n`,
  );
  return file;
}

/** Every input of the regression corpus: `{ target, id, bytes, note }`. */
export function readCorpus(dir = CORPUS_DIR): Array<{ target: string; id: string; bytes: Uint8Array; note: string }> {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const target of readdirSync(dir).sort()) {
    const folder = join(dir, target);
    let files: string[];
    try {
      files = readdirSync(folder)
        .filter((f) => f.endsWith('.bin'))
        .sort();
    } catch {
      continue;
    }
    for (const f of files) {
      const id = f.slice(0, -4);
      let note = '';
      try {
        const meta = JSON.parse(readFileSync(join(folder, `${id}.json`), 'utf8')) as { input?: string };
        note = meta.input ?? '';
      } catch {}
      out.push({ target, id, bytes: new Uint8Array(readFileSync(join(folder, f))), note });
    }
  }
  return out;
}
