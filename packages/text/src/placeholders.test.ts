import { describe, expect, it } from 'vitest';
import { findPlaceholders, protectPlaceholders, restorePlaceholders } from './placeholders.js';

describe('findPlaceholders', () => {
  it('finds printf, positional, Python-named and brace placeholders', () => {
    expect(findPlaceholders('%s: %d of %5.2f, %ld, %1$s and %2$d, %(name)s, {0}, {count}, {0:>8}, 100%%')).toEqual([
      '%s',
      '%d',
      '%5.2f',
      '%ld',
      '%1$s',
      '%2$d',
      '%(name)s',
      '{0}',
      '{count}',
      '{0:>8}',
      '%%',
    ]);
  });

  it('does not read a percent sign in prose as a placeholder', () => {
    expect(findPlaceholders('50% done, 100 % complete')).toEqual([]);
  });
});

describe('protectPlaceholders / restorePlaceholders', () => {
  it('round-trips text through numbered slots', () => {
    const source = 'Cannot copy %s to %(dest)s: {0}';
    const masked = protectPlaceholders(source);
    expect(masked).toEqual({ text: 'Cannot copy ⟦0⟧ to ⟦1⟧: ⟦2⟧', placeholders: ['%s', '%(dest)s', '{0}'] });
    expect(restorePlaceholders(masked.text, masked.placeholders)).toBe(source);
  });

  it('restores slots a translation moved, tolerating spaces inside, and leaves unknown slots', () => {
    const { placeholders } = protectPlaceholders('Copy %s to %s');
    expect(restorePlaceholders('Nach ⟦ 1 ⟧ kopieren: ⟦0⟧ ⟦7⟧', placeholders)).toBe('Nach %s kopieren: %s ⟦7⟧');
  });

  it('accepts other markers', () => {
    const masked = protectPlaceholders('%d files', { open: '<ph', close: '>' });
    expect(masked.text).toBe('<ph0> files');
    expect(restorePlaceholders('<ph0> Dateien', masked.placeholders, { open: '<ph', close: '>' })).toBe('%d Dateien');
  });
});
