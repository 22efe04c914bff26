import { copyFileSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { DataError } from './data-error.js';
import { moPairsFromLocale } from './mo-pairs-from-locale.js';

const fixtures = new URL('./test-fixtures/', import.meta.url).pathname;

/** A locale tree like /usr/share/locale holding the msgfmt-compiled fixtures. */
function localeTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'seqgen-locale-'));
  const dir = join(root, 'de', 'LC_MESSAGES');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(fixtures, 'sample.de.mo'), join(dir, 'app.mo'));
  copyFileSync(join(fixtures, 'sample.de.be.mo'), join(dir, 'app-be.mo'));
  copyFileSync(join(fixtures, 'sample.armscii8.mo'), join(dir, 'armenian.mo'));
  copyFileSync(join(fixtures, 'sample.de.po'), join(dir, 'not-a-catalog.po'));
  return root;
}

describe('moPairsFromLocale', () => {
  it('collects English→German pairs from every catalog, skipping unreadable ones with a reason', () => {
    const result = moPairsFromLocale('de', { root: localeTree() });
    expect(result.catalogs).toEqual([
      { name: 'app-be.mo', pairs: 6 },
      { name: 'app.mo', pairs: 6 },
    ]);
    expect(result.skipped).toEqual([
      { name: 'armenian.mo', reason: expect.stringContaining('charset "armscii-8" is not supported') },
    ]);
    expect(result.pairs).toHaveLength(12);
    expect(result.pairs).toContainEqual({ source: 'Open', target: 'Öffnen' });
  });

  it('skips catalogs over maxFileBytes', () => {
    const result = moPairsFromLocale('de', { root: localeTree(), maxFileBytes: 100 });
    expect(result.catalogs).toEqual([]);
    const size = (name: string) => statSync(join(fixtures, name)).size;
    expect(result.skipped).toEqual([
      { name: 'app-be.mo', reason: `${size('sample.de.be.mo')} bytes exceeds maxFileBytes 100` },
      { name: 'app.mo', reason: `${size('sample.de.mo')} bytes exceeds maxFileBytes 100` },
      { name: 'armenian.mo', reason: `${size('sample.armscii8.mo')} bytes exceeds maxFileBytes 100` },
    ]);
  });

  it('rejects a missing locale and a lang that is not a locale name', () => {
    expect(() => moPairsFromLocale('fr', { root: localeTree() })).toThrow(DataError);
    expect(() => moPairsFromLocale('fr', { root: localeTree() })).toThrow(
      expect.objectContaining({ reason: 'not-found' }),
    );
    expect(() => moPairsFromLocale('../etc')).toThrow(ConfigError);
    expect(() => moPairsFromLocale('de/LC_MESSAGES')).toThrow(ConfigError);
  });
});
