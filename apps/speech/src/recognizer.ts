import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resample, writeWav } from '@seqgen/audio';
import { ToolError } from './espeak.js';

/** What pocketsphinx's US-English acoustic model wants. */
const RECOGNIZER_RATE = 16_000;

/** The words Debian's `pocketsphinx_continuous` (with `pocketsphinx-en-us`) hears in mono audio. */
export function recognize(samples: Float32Array, sampleRate: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'seqgen-sphinx-'));
  try {
    const file = join(dir, 'speech.wav');
    const audio = sampleRate === RECOGNIZER_RATE ? samples : resample(samples, sampleRate, RECOGNIZER_RATE);
    writeFileSync(file, writeWav({ sampleRate: RECOGNIZER_RATE, channels: [audio] }, { encoding: 'pcm16' }));
    const result = spawnSync('pocketsphinx_continuous', ['-infile', file, '-logfn', '/dev/null'], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    if (result.error) {
      const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new ToolError(
        missing
          ? 'pocketsphinx_continuous is not installed (Debian: apt-get install pocketsphinx pocketsphinx-en-us)'
          : `pocketsphinx_continuous failed: ${result.error.message}`,
      );
    }
    if (result.status !== 0) {
      throw new ToolError(`pocketsphinx_continuous exited with ${result.status} (is pocketsphinx-en-us installed?)`);
    }
    return result.stdout.replace(/\s+/g, ' ').trim().toLowerCase();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Words of a transcript for scoring: lower case, letters and apostrophes only. */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z' ]+/g, ' ')
    .split(' ')
    .filter((w) => w.length > 0);
}

/** Word edit distance (substitutions + insertions + deletions) between a reference and a hypothesis. */
export function wordErrors(reference: readonly string[], hypothesis: readonly string[]): number {
  let previous = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const row = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      const substitution = (previous[j - 1] as number) + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1);
      row.push(Math.min(substitution, (previous[j] as number) + 1, (row[j - 1] as number) + 1));
    }
    previous = row;
  }
  return previous[hypothesis.length] as number;
}
