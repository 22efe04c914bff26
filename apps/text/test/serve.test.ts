import { join } from 'node:path';
import { InputError, Output } from '@seqgen/app-kit';
import { initBackend } from '@seqgen/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRETRAINED_CHECKPOINT } from '../src/eval.js';
import { serveCheckpoint } from '../src/serve.js';
import { appRoot } from './run-cli.js';

// What `seqgen-text serve` runs (in-process: spawning the CLI costs seconds of CI per backend).
describe('seqgen-text serve', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('serves the shipped checkpoint under its folder name over the OpenAI API, and says where (--json)', async () => {
    let stdout = '';
    const output = new Output({ name: 'seqgen-text', json: true, stdout: (t) => void (stdout += t), stderr: () => {} });
    const server = await serveCheckpoint({
      checkpoint: PRETRAINED_CHECKPOINT,
      port: 0,
      host: '127.0.0.1',
      maxBatch: 4,
      maxQueue: 4,
      output,
    });
    try {
      expect(JSON.parse(stdout)).toEqual({
        model: 'moby-char-lstm',
        url: server.url,
        port: server.port,
        host: '127.0.0.1',
      });
      const res = await fetch(`${server.url}/completions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'moby-char-lstm', prompt: 'Call me Ishmael.', max_tokens: 10, seed: 1 }),
      });
      const body = (await res.json()) as { choices: { text: string; finish_reason: string }[] };
      expect(res.status).toBe(200);
      expect(body.choices[0]?.text).toHaveLength(10);
      expect(body.choices[0]?.finish_reason).toBe('length');
    } finally {
      await server.close();
    }
  });

  it('a checkpoint that cannot load is an InputError naming it (one error line from the CLI)', async () => {
    const output = new Output({ name: 'seqgen-text', stdout: () => {}, stderr: () => {} });
    const checkpoint = join(appRoot, 'no-such-checkpoint');
    await expect(
      serveCheckpoint({ checkpoint, port: 0, host: '127.0.0.1', maxBatch: 1, maxQueue: 0, output }),
    ).rejects.toBeInstanceOf(InputError);
  });
});
