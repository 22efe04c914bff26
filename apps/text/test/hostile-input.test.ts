import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@seqgen/app-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from '../src/corpus.js';
import { appRoot, mobySlice, runCli } from './run-cli.js';

const pretrained = join(appRoot, 'pretrained', 'moby-char-lstm');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-text-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/** The error `fn` throws, checked to be an InputError naming `path`, within `ms` milliseconds. */
function inputErrorOf(fn: () => unknown, path: string, ms = 2000): InputError {
  const started = performance.now();
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(performance.now() - started).toBeLessThan(ms);
  expect(caught).toBeInstanceOf(InputError);
  const error = caught as InputError;
  expect(error.path).toBe(path);
  expect(error.message).toContain(path);
  return error;
}

describe('corpus reading: only regular files, a size limit enforced while reading', () => {
  it('refuses a FIFO before opening it (opening one would block until a writer comes)', () => {
    const fifo = join(dir, 'pipe.txt');
    mkfifo(fifo);
    const error = inputErrorOf(() => readCorpus(fifo), fifo);
    expect(error.message).toMatch(/is a FIFO \(named pipe\); only regular text files/);
  });

  it('refuses /dev/zero and /dev/urandom (character devices that never end)', () => {
    for (const device of ['/dev/zero', '/dev/urandom']) {
      const error = inputErrorOf(() => readCorpus(device), device);
      expect(error.message).toMatch(/is a character device/);
    }
    // Through a symbolic link too: the target is what counts.
    const link = join(dir, 'zero-link.txt');
    symlinkSync('/dev/zero', link);
    inputErrorOf(() => readCorpus(link), link);
  });

  it('refuses a folder holding a FIFO or a link to a device, naming the entry', () => {
    const folder = join(dir, 'with-fifo');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.txt'), 'some text\n');
    mkfifo(join(folder, 'b.txt'));
    const error = inputErrorOf(() => readCorpus(folder), join(folder, 'b.txt'));
    expect(error.message).toMatch(/b\.txt is a FIFO/);
    const linked = join(dir, 'with-device');
    mkdirSync(linked);
    writeFileSync(join(linked, 'a.txt'), 'some text\n');
    symlinkSync('/dev/zero', join(linked, 'z.txt'));
    expect(inputErrorOf(() => readCorpus(linked), join(linked, 'z.txt')).message).toMatch(
      /z\.txt is a symbolic link to a character device/,
    );
  });

  it('still reads a folder of regular files (and links to them), sorted, hidden ones skipped', () => {
    const folder = join(dir, 'plain');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    writeFileSync(join(folder, 'b.txt'), 'second\r\n');
    writeFileSync(join(folder, 'sub', 'c.txt'), 'third');
    writeFileSync(join(folder, '.hidden'), 'never');
    writeFileSync(join(dir, 'outside.txt'), 'first');
    symlinkSync(join(dir, 'outside.txt'), join(folder, 'a.txt'));
    expect(readCorpus(folder)).toBe('first\nsecond\n\nthird');
  });

  it('enforces the size limit on a file and on a folder in all', () => {
    const file = join(dir, 'big.txt');
    writeFileSync(file, 'x'.repeat(10_000));
    expect(readCorpus(file, { maxBytes: 10_000 })).toHaveLength(10_000);
    expect(inputErrorOf(() => readCorpus(file, { maxBytes: 9_999 }), file).message).toMatch(
      /larger than the .* MiB limit \(raise it with --max-corpus-mb\)/,
    );
    const folder = join(dir, 'two-files');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.txt'), 'y'.repeat(6_000));
    writeFileSync(join(folder, 'b.txt'), 'z'.repeat(6_000));
    expect(readCorpus(folder, { maxBytes: 12_000 })).toHaveLength(12_001);
    inputErrorOf(() => readCorpus(folder, { maxBytes: 11_000 }), folder);
  });

  it('seqgen-text eval --corpus /dev/zero or a FIFO: one line, exit 3, at once', () => {
    const fifo = join(dir, 'cli-pipe');
    mkfifo(fifo);
    for (const corpus of ['/dev/zero', fifo]) {
      const started = performance.now();
      const r = runCli(['eval', '--checkpoint', pretrained, '--corpus', corpus, '--baseline-order', '0']);
      expect(performance.now() - started).toBeLessThan(60_000);
      expect(r.status).toBe(3);
      expect(r.stderr.trim()).toMatch(
        new RegExp(`^seqgen-text: error: corpus ${corpus.replace(/[/.]/g, '\\$&')} is (a character device|a FIFO)`),
      );
    }
    const big = join(dir, 'big-corpus.txt');
    writeFileSync(big, 'a'.repeat(2 * 1024 * 1024));
    const r = runCli(['eval', '--checkpoint', pretrained, '--corpus', big, '--max-corpus-mb', '1']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/larger than the 1 MiB limit/);
    expect(existsSync(fifo)).toBe(true);
  });
});

describe('out-of-vocabulary policy: eval counts unknown tokens and can exclude them', () => {
  // Moby-Dick text with 40 characters the shipped model has never seen (each one token: <unk>).
  const alien = 'ΩΨΦ€Ж';
  let corpus: string;
  beforeAll(() => {
    corpus = join(dir, 'alien.txt');
    const base = mobySlice(50_000, 3_000);
    let text = '';
    // Each in the middle of a 60-character block, none near the end (the tail may not all be predicted).
    for (let i = 0; i < 40; i++) {
      text += base.slice(i * 60, i * 60 + 30) + alien[i % alien.length] + base.slice(i * 60 + 30, (i + 1) * 60);
    }
    writeFileSync(corpus, text + base.slice(2_400, 2_700));
  });
  const evalJson = (...extra: string[]) => {
    const r = runCli([
      'eval',
      '--checkpoint',
      pretrained,
      '--corpus',
      corpus,
      '--whole',
      '--baseline-order',
      '0',
      '--json',
      ...extra,
    ]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as {
      examples: number;
      unknown_tokens: number;
      unknown_excluded: boolean;
      metrics: { nats_per_token: number };
    };
  };

  it('reports unknown_tokens next to examples, and --exclude-unknown scores only known targets', () => {
    const all = evalJson();
    expect(all.unknown_tokens).toBe(40);
    expect(all.unknown_excluded).toBe(false);
    const known = evalJson('--exclude-unknown');
    expect(known.unknown_tokens).toBe(40);
    expect(known.unknown_excluded).toBe(true);
    // Every <unk> target (the first token is never a target) is left out of the count…
    expect(all.examples - known.examples).toBe(40);
    // …and of the loss: the scored run's total holds the nats the <unk> targets cost.
    const total = (r: typeof all) => r.metrics.nats_per_token * r.examples;
    expect(known.metrics.nats_per_token).not.toBe(all.metrics.nats_per_token);
    expect(total(all) - total(known)).toBeGreaterThan(0);
  });

  it('says so in the text output', () => {
    const base = ['eval', '--checkpoint', pretrained, '--corpus', corpus, '--whole', '--baseline-order', '0'];
    const scored = runCli(base);
    expect(scored.status).toBe(0);
    expect(scored.stdout).toMatch(/unknown tokens: 40 outside the vocabulary, scored as <unk> \(--exclude-unknown/);
    const excluded = runCli([...base, '--exclude-unknown']);
    expect(excluded.status).toBe(0);
    expect(excluded.stdout).toMatch(/unknown tokens: 40 outside the vocabulary, excluded \(only known tokens scored\)/);
  });

  it('generate warns when the prime holds characters outside the vocabulary', () => {
    const r = runCli(['generate', '--checkpoint', pretrained, '--prime', 'Ωmega', '--length', '3', '--seed', '1']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: --prime holds 1 character \("Ω" \(U\+03A9\)\) outside the model's vocabulary/);
  });
});
