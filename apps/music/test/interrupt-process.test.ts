import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interruptAndResume } from '@seqgen/test-utils';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { cli, haveOpenmsx, smallMidiFolder, TINY } from './run-cli.js';

const data = haveOpenmsx();
let dir: string;
let midi: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-music-interrupt-'));
  if (data) midi = smallMidiFolder(join(dir, 'midi'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Three child processes (interrupted, resumed, uninterrupted) of six tiny steps each on four real pieces.
describe.skipIf(!data)('seqgen-music train, interrupted', () => {
  it('Ctrl-C saves a resumable checkpoint and says where; --resume continues exactly', async () => {
    await interruptAndResume({
      cli,
      name: 'seqgen-music',
      train: ['train', '--midi', midi, ...TINY, '--validate-every', '2', '--steps', '6'],
      steps: 6,
      out: join(dir, 'interrupted'),
      straightOut: join(dir, 'straight'),
      when: /step 2: validation loss/,
    });
  });
});
