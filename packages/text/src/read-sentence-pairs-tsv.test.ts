import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { DataError } from './data-error.js';
import { readSentencePairsTsv, readSentencePairsTsvFile } from './read-sentence-pairs-tsv.js';

// Lines as the ManyThings/Tatoeba Anki export writes them: source, target, attribution.
const TATOEBA = [
  'Go.\tGeh.\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272 (CM) & #8597805 (Roujin)',
  'Hi.\tHallo!\tCC-BY 2.0 (France) Attribution: tatoeba.org #538123 (CM) & #380701 (cburgmer)',
  'Run!\tLauf!\tCC-BY 2.0 (France) Attribution: tatoeba.org #906328 (papabear) & #941078 (Fingerhut)',
].join('\n');

describe('readSentencePairsTsv', () => {
  it('reads Tatoeba/Anki lines, ignoring the attribution column', () => {
    const { pairs, skipped } = readSentencePairsTsv(TATOEBA);
    expect(pairs).toEqual([
      { source: 'Go.', target: 'Geh.' },
      { source: 'Hi.', target: 'Hallo!' },
      { source: 'Run!', target: 'Lauf!' },
    ]);
    expect(skipped).toBe(0);
  });

  it('accepts a BOM, CRLF line ends, comments and blank lines', () => {
    const text = '\uFEFF# exported 2026-01-01\r\nThank you.\tDanke.\r\n\r\n  \r\nYes.\tJa.\r\n';
    expect(readSentencePairsTsv(text).pairs).toEqual([
      { source: 'Thank you.', target: 'Danke.' },
      { source: 'Yes.', target: 'Ja.' },
    ]);
    const bytes = new TextEncoder().encode(text);
    expect(readSentencePairsTsv(bytes).pairs).toHaveLength(2);
  });

  it('names the line of a malformed row', () => {
    const text = 'Go.\tGeh.\nno tab here\nHi.\tHallo!';
    const error = (() => {
      try {
        readSentencePairsTsv(text, { name: 'deu.txt' });
      } catch (e) {
        return e;
      }
    })() as DataError;
    expect(error).toBeInstanceOf(DataError);
    expect(error.reason).toBe('bad-line');
    expect(error.code).toBe('ERR_DATA_BAD_LINE');
    expect(error.line).toBe(2);
    expect(error.message).toBe('deu.txt:2: expected at least 2 tab-separated columns (source, target), found 1');
    expect(() => readSentencePairsTsv('Go.\t\t')).toThrow('<tsv>:1: empty target column');
    expect(() => readSentencePairsTsv('\tGeh.')).toThrow('<tsv>:1: empty source column');
  });

  it('skips and counts malformed rows with onBadLine: skip', () => {
    const result = readSentencePairsTsv('Go.\tGeh.\nbroken\n\tempty\nHi.\tHallo!', { onBadLine: 'skip' });
    expect(result.pairs.map((p) => p.target)).toEqual(['Geh.', 'Hallo!']);
    expect(result.skipped).toBe(2);
    expect(result.skippedLines).toEqual([2, 3]);
  });

  it('rejects bad options, bad bytes and missing files with typed errors', () => {
    expect(() => readSentencePairsTsv('a\tb', { onBadLine: 'ignore' as 'skip' })).toThrow(ConfigError);
    expect(() => readSentencePairsTsv(42 as unknown as string)).toThrow(ConfigError);
    expect(() => readSentencePairsTsv(new Uint8Array([0x61, 0x09, 0xff]), { name: 'x.tsv' })).toThrow(
      expect.objectContaining({ reason: 'bad-encoding', message: 'x.tsv: is not valid UTF-8' }),
    );
    expect(() => readSentencePairsTsvFile('/nonexistent/deu.txt')).toThrow(
      expect.objectContaining({ reason: 'not-found', source: '/nonexistent/deu.txt' }),
    );
  });

  it('reads a file and reports errors under its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgen-text-'));
    const path = join(dir, 'deu.txt');
    writeFileSync(path, `${TATOEBA}\nbroken line\n`);
    expect(readSentencePairsTsvFile(path, { onBadLine: 'skip' }).pairs).toHaveLength(3);
    expect(() => readSentencePairsTsvFile(path)).toThrow(`${path}:4:`);
  });
});
