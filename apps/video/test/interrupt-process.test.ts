import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interruptAndResume } from '@seqgen/test-utils';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { cli } from './run-cli.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-video-interrupt-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Three child processes (interrupted, resumed, uninterrupted) of six tiny forecaster steps each.
describe('seqgen-video train, interrupted', () => {
  it('Ctrl-C saves a resumable checkpoint and says where; --resume continues exactly', async () => {
    const tiny = [
      '--hidden',
      '2',
      '--kernel',
      '1',
      '--patch',
      '8',
      '--batch',
      '1',
      '--valid',
      '1',
      '--validate-every',
      '2',
    ];
    await interruptAndResume({
      cli,
      name: 'seqgen-video',
      train: ['train', '--task', 'predict', ...tiny, '--steps', '6'],
      steps: 6,
      out: join(dir, 'interrupted'),
      straightOut: join(dir, 'straight'),
      when: /step 2: validation loss/,
    });
  });
});
