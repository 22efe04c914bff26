import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interruptAndResume } from '@seqgen/test-utils';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { prepareCorpus } from '../src/prepared-corpus.js';
import { cli, speechToolsPresent } from './run-cli.js';

const present = speechToolsPresent();
let dir: string;
let data: string;

beforeAll(() => {
  if (!present) return;
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-speech-interrupt-'));
  data = join(dir, 'data');
  prepareCorpus({ out: data, train: 4, valid: 1, test: 1, minChars: 12, maxChars: 20, seed: 2 });
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Three child processes (interrupted, resumed, uninterrupted) of five tiny steps each.
describe.skipIf(!present)('seqgen-speech train, interrupted', () => {
  it('Ctrl-C saves a resumable checkpoint and says where; --resume continues exactly', async () => {
    const tiny = [
      ...['--embedding', '8', '--encoder-units', '4', '--decoder-units', '8', '--prenet-units', '8'],
      ...['--attention-units', '4', '--postnet-channels', '4', '--batch', '2', '--validate-every', '2'],
    ];
    await interruptAndResume({
      cli,
      name: 'seqgen-speech',
      train: ['train', '--data', data, ...tiny, '--steps', '5'],
      steps: 5,
      out: join(dir, 'interrupted'),
      straightOut: join(dir, 'straight'),
      when: /step 2: validation loss/,
    });
  });
});
