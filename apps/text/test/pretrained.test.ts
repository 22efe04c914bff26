import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot, readJson, runCli } from './run-cli.js';

const pretrained = join(appRoot, 'pretrained', 'moby-char-lstm');

describe('the committed pretrained checkpoint', () => {
  it('generates English-like text from Moby-Dick at once', () => {
    const r = runCli([
      'generate',
      '--checkpoint',
      pretrained,
      '--prime',
      'Call me Ishmael. ',
      '--length',
      '200',
      '--seed',
      '1',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const text = r.stdout.slice('Call me Ishmael. '.length);
    expect(text.length).toBeGreaterThan(150);
    // A trained model writes words: most characters are letters or spaces, and common words appear.
    const letters = text.replace(/[^A-Za-z ]/g, '').length;
    expect(letters / text.length).toBeGreaterThan(0.85);
    expect(text).toMatch(/\b(the|and|of|a|to|in|that|his)\b/);
  });

  it('records how it was trained and its held-out figures', () => {
    const meta = readJson(join(pretrained, 'checkpoint.json')).metadata as { heldOut: { bitsPerChar: number } };
    expect(meta.heldOut.bitsPerChar).toBeLessThan(3);
  });
});
