import { ConfigError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { stripAccelerators } from './accelerators.js';
import { cleanPairs } from './clean-pairs.js';

describe('stripAccelerators', () => {
  it.each([
    ['_File', '_Datei', 'File', 'Datei'],
    ['C_onnect', '_Verbinden', 'Connect', 'Verbinden'],
    ['&Open', 'Ö&ffnen', 'Open', 'Öffnen'],
    ['Create Fo_lder', 'Ordner anle_gen', 'Create Folder', 'Ordner anlegen'],
    ['Open _File', 'ファイルを開く(_F)', 'Open File', 'ファイルを開く'],
    ['_Quit', 'Quitter', 'Quit', 'Quitter'],
  ])('%s / %s → %s / %s', (source, target, cleanSource, cleanTarget) => {
    expect(stripAccelerators(source, target)).toEqual({ source: cleanSource, target: cleanTarget });
  });

  it.each([
    ['failed to pam_set_item()', 'Fehler bei pam_set_item()'],
    ['Set LC_ALL=C first', 'Zuerst LC_ALL=C setzen'],
    ['lookup (e.g. _http._tcp.example.org)', 'abfragen (z.B. _http._tcp.example.org)'],
    ['Tom & Jerry', 'Tom & Jerry'],
    ['Save &amp; quit', 'Speichern &amp; beenden'],
    ['_Copy _Paste', '_Kopieren _Einfügen'],
  ])('leaves ordinary text alone: %s', (source, target) => {
    expect(stripAccelerators(source, target)).toEqual({ source, target });
  });
});

describe('cleanPairs', () => {
  it('keeps good pairs, strips accelerators, and counts every drop by reason', () => {
    const result = cleanPairs([
      { source: '_File', target: '_Datei' },
      { source: 'Cannot open %s:\n  %s', target: '%s kann nicht geöffnet werden: %s' },
      { source: 'Copy %1$s to %2$s', target: 'Nach %2$s kopieren: %1$s' },
      { source: 'Hello {name}', target: 'Hallo {name}' },
      { source: 'Open', target: '' },
      { source: '   ', target: 'Leer' },
      { source: 'OK', target: 'OK' },
      { source: '_OK', target: '_OK' },
      { source: '%s: %s', target: '%s : %s' },
      { source: '<b>%d</b>', target: '<strong>%d</strong>' },
      { source: '--', target: '—' },
      { source: '%s of %d', target: '%d von %s' },
      { source: 'Deleted %d files', target: 'Dateien gelöscht' },
      { source: 'Hello {name}', target: 'Hallo {nom}' },
    ]);
    expect(result.pairs).toEqual([
      { source: 'File', target: 'Datei' },
      { source: 'Cannot open %s: %s', target: '%s kann nicht geöffnet werden: %s' },
      { source: 'Copy %1$s to %2$s', target: 'Nach %2$s kopieren: %1$s' },
      { source: 'Hello {name}', target: 'Hallo {name}' },
    ]);
    expect(result.dropped).toEqual({
      empty: 2,
      identical: 2,
      'format-only': 3,
      'placeholder-mismatch': 3,
      'too-long': 0,
    });
    expect(result.acceleratorsStripped).toBe(2);
  });

  it('drops pairs over maxLength and rejects a bad maxLength', () => {
    const pairs = [
      { source: 'Open', target: 'Öffnen' },
      { source: 'Print the help text of every command', target: 'Den Hilfetext jedes Befehls ausgeben' },
    ];
    const result = cleanPairs(pairs, { maxLength: 20 });
    expect(result.pairs).toEqual([pairs[0]]);
    expect(result.dropped['too-long']).toBe(1);
    expect(() => cleanPairs(pairs, { maxLength: 0 })).toThrow(ConfigError);
  });

  it('can keep accelerators and whitespace as they are', () => {
    const result = cleanPairs([{ source: '_File\n', target: '_Datei' }], {
      stripAccelerators: false,
      collapseWhitespace: false,
    });
    expect(result.pairs).toEqual([{ source: '_File\n', target: '_Datei' }]);
  });
});
