import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interruptAndResume } from '@seqgen/test-utils';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { cli, TINY } from './run-cli.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-caption-interrupt-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Three child processes (interrupted, resumed, uninterrupted) of six tiny steps each.
describe('seqgen-caption train, interrupted', () => {
  it('Ctrl-C saves a resumable checkpoint and says where; --resume continues exactly', async () => {
    await interruptAndResume({
      cli,
      name: 'seqgen-caption',
      train: ['train', ...TINY, '--steps', '6'],
      steps: 6,
      out: join(dir, 'interrupted'),
      straightOut: join(dir, 'straight'),
      when: /step 2: validation loss/,
    });
  });
});
