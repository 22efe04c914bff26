import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzTarget, isFailure, readCorpus, Sandbox } from './runner.js';
import type { Target } from './target.js';
import { TARGETS, targetNamed } from './targets.js';

/** Inputs per target in the fixed-seed run (a few seconds each on a 2-core machine). */
const INPUTS_PER_TARGET = 300;
/** The fixed seed: every `pnpm test` tries the same inputs. */
const FIXED_SEED = 14;

/**
 * Corpus inputs (`<target>/<sha256 prefix>`) that still fail, each with why:
 * their replay is `it.fails`, so the day a parser is fixed the replay passes,
 * `it.fails` fails, and the entry must be removed from this list. None today.
 */
const KNOWN_FAILING: Readonly<Record<string, string>> = {};

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = new Sandbox({ timeoutMs: 5_000, memoryMb: 1024 });
});
afterAll(() => sandbox?.close());

const failureLines = (
  findings: Array<{ id: string; description: string; result: { outcome: string; error?: string } }>,
) =>
  findings.map((f) => `${f.id} ${f.result.outcome}: ${f.result.error ?? ''}\n    input: ${f.description}`).join('\n');

describe('the sandbox records each failure class, and nothing freezes the test', () => {
  it('an untyped error, a hang (time limit) and a runaway allocation (memory limit)', async () => {
    const small = new Sandbox({ timeoutMs: 1_500, memoryMb: 600 });
    try {
      const one = new Uint8Array([1]);
      const zero = new Uint8Array([0]);
      const untyped = await small.run(targetNamed('self-test-untyped'), one);
      expect(untyped.outcome).toBe('untyped');
      expect(untyped.error).toMatch(/^TypeError: /);
      expect((await small.run(targetNamed('self-test-untyped'), zero)).outcome).toBe('ok');
      const hang = await small.run(targetNamed('self-test-hang'), one);
      expect(hang.outcome).toBe('hang');
      // The killed worker is replaced: the next input runs normally.
      expect((await small.run(targetNamed('self-test-hang'), zero)).outcome).toBe('ok');
      // Generous time: the memory limit, not the clock, must stop this one.
      const roomy = new Sandbox({ timeoutMs: 60_000, memoryMb: 600 });
      const oom = await roomy.run(targetNamed('self-test-memory'), one).finally(() => roomy.close());
      expect(oom.outcome).toBe('crash');
      expect(oom.error).toMatch(/out of memory|worker exited/);
      expect((await small.run(targetNamed('self-test-memory'), zero)).outcome).toBe('ok');
    } finally {
      small.close();
    }
  });
});

describe.each(TARGETS.map((t) => [t.name, t] as [string, Target]))('fuzz target %s', (_name, target) => {
  it(
    target.hostileSeeds ? 'gives a valid result or a typed error on every seed' : 'parses every real seed',
    async () => {
      const seeds = await sandbox.seeds(target);
      expect(seeds.length).toBeGreaterThan(0);
      for (const seed of seeds) {
        const result = await sandbox.run(target, seed.bytes);
        if (target.hostileSeeds) expect(result.outcome, `${seed.name}: ${result.error}`).toMatch(/^(ok|typed)$/);
        else expect(result, seed.name).toMatchObject({ outcome: 'ok' });
      }
    },
  );

  it(`fixed-seed run of ${INPUTS_PER_TARGET} inputs: a valid result or a typed error, never an untyped error, a hang or a crash`, async () => {
    const seeds = await sandbox.seeds(target);
    const known = new Set(Object.keys(KNOWN_FAILING));
    const { stats, findings } = await fuzzTarget(sandbox, target, seeds, {
      seed: FIXED_SEED,
      count: INPUTS_PER_TARGET,
      known,
    });
    expect(stats.tried).toBe(INPUTS_PER_TARGET);
    // The mutators reach past the first check: some inputs still load, many fail in different ways.
    expect(stats.typed).toBeGreaterThan(INPUTS_PER_TARGET / 4);
    expect(failureLines(findings)).toBe('');
  });
});

describe('the regression corpus (packages/fuzz/corpus): every input that ever failed', () => {
  const corpus = readCorpus();
  it('holds inputs of every target', () => {
    for (const t of TARGETS)
      expect(
        corpus.some((c) => c.target === t.name),
        t.name,
      ).toBe(true);
  });
  for (const entry of corpus) {
    const key = `${entry.target}/${entry.id}`;
    const known = KNOWN_FAILING[key];
    const test = known ? it.fails : it;
    test(`${key}: ${entry.note || 'saved by pnpm fuzz'}${known ? ` (known: ${known})` : ''}`, async () => {
      const result = await sandbox.run(targetNamed(entry.target), entry.bytes);
      expect(isFailure(result.outcome) ? `${result.outcome}: ${result.error}` : 'ok or typed error').toBe(
        'ok or typed error',
      );
    });
  }
});
