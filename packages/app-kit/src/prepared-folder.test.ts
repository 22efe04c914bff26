import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMobyDick, thrown } from '@seqgen/test-utils';
import { ByteBpeTokenizer, DEFAULT_SPECIAL_TOKENS } from '@seqgen/tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor, InputError } from './errors.js';
import {
  isPreparedDir,
  PREPARED_FILE,
  PREPARED_SPLITS,
  readPreparedFolder,
  writePreparedFiles,
} from './prepared-folder.js';
import { RunFolder } from './run-folder.js';

let dir: string;
let prepared: string;
let tokenizer: ByteBpeTokenizer;
const app = { app: 'example/app-x', cli: 'seqgen-x' };
/** Each split as lines of text, the way an app keeps its own format. */
const readSplit = (folder: string, name: string) => readFileSync(join(folder, `${name}.txt`), 'utf8').split('\n');

// A folder prepared as an app does: splits of real prose, a BPE trained on the training split, then the record.
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-kit-prepared-'));
  prepared = join(dir, 'data');
  const lines = readMobyDick().slice(50_000, 53_000).split('\n');
  tokenizer = ByteBpeTokenizer.train(lines, { vocabSize: 280, specialTokens: [...DEFAULT_SPECIAL_TOKENS] });
  const run = RunFolder.create(prepared, { isRun: isPreparedDir });
  for (const [i, name] of PREPARED_SPLITS.entries())
    writeFileSync(run.path(`${name}.txt`), lines.slice(i * 5, i * 5 + 5).join('\n'));
  writePreparedFiles(run, { app: app.app, counts: 5 }, tokenizer);
  run.publish();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prepared folders', () => {
  it('read back the record, the tokenizer and the three splits that were written', () => {
    expect(readdirSync(prepared).sort()).toEqual([
      PREPARED_FILE,
      'test.txt',
      'tokenizer.json',
      'train.txt',
      'valid.txt',
    ]);
    const data = readPreparedFolder<{ app: string; counts: number }, ByteBpeTokenizer, string>(prepared, {
      ...app,
      readSplit,
    });
    expect(data.record).toEqual({ app: 'example/app-x', counts: 5 });
    expect(data.tokenizer.vocabSize).toBe(tokenizer.vocabSize);
    const text = 'Call me Ishmael.';
    expect(data.tokenizer.decode(data.tokenizer.encode(text))).toBe(text);
    expect(data.tokenizer.encode(text)).toEqual(tokenizer.encode(text));
    expect(Object.keys(data.splits)).toEqual(['train', 'valid', 'test']);
    expect(data.splits.valid).toHaveLength(5);
  });

  it('refuse, as input errors naming the file, a folder that is not one, a bad record, another app’s, a broken tokenizer', () => {
    const read = (folder: string, flag?: string) =>
      thrown(() => readPreparedFolder(folder, { ...app, readSplit, ...(flag ? { flag } : {}) }), InputError);
    const none = read(dir, '--data-dir');
    expect(none.message).toBe(`--data-dir ${dir}: not a prepared folder (no prepared.json; run seqgen-x prepare)`);
    expect(exitCodeFor(none)).toBe(3);
    const other = join(dir, 'other');
    const copy = (name: string, edit: (text: string) => string) => {
      rmSync(other, { recursive: true, force: true });
      RunFolder.create(other).publish();
      for (const f of readdirSync(prepared)) writeFileSync(join(other, f), readFileSync(join(prepared, f), 'utf8'));
      writeFileSync(join(other, name), edit(readFileSync(join(prepared, name), 'utf8')));
    };
    copy(PREPARED_FILE, (t) => t.slice(0, 10));
    expect(read(other).message).toMatch(/prepared\.json: not valid JSON \(/);
    copy(PREPARED_FILE, (t) => t.replace('app-x', 'app-y'));
    expect(read(other).message).toBe(`${join(other, PREPARED_FILE)}: not written by seqgen-x prepare`);
    copy('tokenizer.json', () => '{"type":"byte-bpe"}');
    expect(read(other).message).toMatch(/tokenizer\.json: /);
  });
});
