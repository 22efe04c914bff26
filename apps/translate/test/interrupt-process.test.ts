import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interruptAndResume } from '@seqgen/test-utils';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { prepareData } from '../src/prepared-data.js';
import { cli, fixturePairs } from './run-cli.js';

let dir: string;
let data: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-translate-interrupt-'));
  data = join(dir, 'data');
  prepareData({ out: data, pairsFile: fixturePairs, test: 10, valid: 10, vocab: 300, seed: 1 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Three child processes (interrupted, resumed, uninterrupted) of six tiny steps each: about 15 s of CPU.
describe('seqgen-translate train, interrupted', () => {
  it('Ctrl-C saves a resumable checkpoint and says where; --resume continues exactly', async () => {
    const tiny = ['--hidden', '16', '--embedding', '8', '--batch', '8', '--max-len', '16', '--validate-every', '2'];
    await interruptAndResume({
      cli,
      name: 'seqgen-translate',
      train: ['train', '--data', data, ...tiny, '--steps', '6'],
      steps: 6,
      out: join(dir, 'interrupted'),
      straightOut: join(dir, 'straight'),
      when: /step 2: validation loss/,
    });
  });
});
