import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interruptAndResume } from '@seqgen/test-utils';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { prepareData } from '../src/prepared-data.js';
import { cli, fixtureDialogue } from './run-cli.js';

let dir: string;
let data: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-chat-interrupt-'));
  data = join(dir, 'data');
  prepareData({ out: data, jsonl: fixtureDialogue, test: 4, valid: 3, vocab: 300, seed: 1 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Three child processes (interrupted, resumed, uninterrupted) of six tiny steps each, with dropout on (its random
// masks must resume exactly too): about 15 s of CPU.
describe('seqgen-chat train, interrupted', () => {
  it('Ctrl-C saves a resumable checkpoint and says where; --resume continues exactly', async () => {
    const tiny = ['--turns', '2', '--max-context', '24', '--max-reply', '24', '--hidden', '16', '--embedding', '8'];
    await interruptAndResume({
      cli,
      name: 'seqgen-chat',
      train: ['train', '--data', data, ...tiny, '--batch', '8', '--validate-every', '2', '--steps', '6'],
      steps: 6,
      out: join(dir, 'interrupted'),
      straightOut: join(dir, 'straight'),
      when: /step 2: validation loss/,
    });
  });
});
