/**
 * A fuzz worker: a child process that runs parsers on the inputs its parent
 * sends (IPC, one at a time) and answers with the outcome. The parent kills
 * it when an input runs past its time or memory limit, and starts another.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { FuzzContext, Outcome } from './target.js';
import { targetNamed } from './targets.js';

export type WorkerRequest =
  | { kind: 'seeds'; id: number; target: string }
  | { kind: 'parse'; id: number; target: string; input: Uint8Array };

export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'seeds'; id: number; seeds: Array<{ name: string; bytes: Uint8Array }> }
  | { kind: 'parse'; id: number; outcome: Outcome; error?: string }
  | { kind: 'failed'; id: number; error: string };

const workDir = process.env.SEQGEN_FUZZ_WORKDIR;
if (!workDir || !process.send) {
  console.error('fuzz worker: run by the fuzz runner (SEQGEN_FUZZ_WORKDIR and an IPC channel)');
  process.exit(2);
}
const scratchRoot = join(workDir, `scratch-${process.pid}`);
mkdirSync(scratchRoot, { recursive: true });
let scratch: string[] = [];
const ctx: FuzzContext = {
  workDir,
  scratch() {
    const dir = mkdtempSync(join(scratchRoot, 'in-'));
    scratch.push(dir);
    return dir;
  },
};

function describe(error: unknown): string {
  const name = error instanceof Error ? error.constructor.name || error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  return `${name}: ${(message.split('\n')[0] ?? '').slice(0, 300)}`;
}

const send = (reply: WorkerReply) => process.send?.(reply);

tf.env().set('PROD', true);
await tf.setBackend('cpu');
await tf.ready();

process.on('message', async (request: WorkerRequest) => {
  try {
    const target = targetNamed(request.target);
    if (request.kind === 'seeds') {
      send({ kind: 'seeds', id: request.id, seeds: await target.seeds(ctx) });
      return;
    }
    const input = new Uint8Array(request.input);
    try {
      await target.parse(input, ctx);
      send({ kind: 'parse', id: request.id, outcome: 'ok' });
    } catch (error) {
      const outcome: Outcome = target.isTypedError(error) ? 'typed' : 'untyped';
      send({ kind: 'parse', id: request.id, outcome, error: describe(error) });
    } finally {
      for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
      scratch = [];
    }
  } catch (error) {
    send({ kind: 'failed', id: request.id, error: describe(error) });
  }
});
send({ kind: 'ready' });
