import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_CODES, exitCodeFor, InputError } from '@seqgen/app-kit';
import { initBackend } from '@seqgen/core';
import { readChatJsonl } from '@seqgen/text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChatbot } from '../src/checkpoint.js';
import { trainTokenizer } from '../src/prepared-data.js';
import { buildModel } from '../src/train.js';
import { fixtureDialogue, runCli, startCli } from './run-cli.js';

let dir: string;
let checkpoint: string;

// An untrained model: it almost never says <eos>, so with --max-tokens 100000 a reply runs until Ctrl-C stops it.
beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-chat-repl-'));
  checkpoint = join(dir, 'untrained');
  const tokenizer = trainTokenizer(readChatJsonl(readFileSync(fixtureDialogue)), 300);
  const model = buildModel(
    {
      cell: 'gru',
      attention: 'bahdanau',
      layers: 1,
      hidden: 8,
      embedding: 8,
      bidirectional: false,
      dropout: 0,
      labelSmoothing: 0,
      seed: 3,
    },
    tokenizer,
  );
  await model.save(checkpoint, {
    preprocessors: { source: tokenizer, target: tokenizer },
    metadata: {
      app: '@seqgen/app-chat',
      turns: 2,
      format: 'speaker-markers',
      maxContextTokens: 32,
      maxReplyTokens: 16,
    } as never,
  });
  model.dispose();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Resolves once `text` has appeared in what `chunks` collected. */
function waitFor(chunks: string[], text: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (chunks.join('').includes(text)) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`timed out waiting for ${JSON.stringify(text)}; got ${JSON.stringify(chunks.join(''))}`));
      }
    }, 50);
  });
}

describe('seqgen-chat chat (a real child process)', () => {
  it('streams a reply, stops it on SIGINT and keeps going; /history, /temperature, /top-p, /reset; Ctrl-C at an empty prompt leaves', async () => {
    const child = startCli(['chat', '--checkpoint', checkpoint, '--seed', '1', '--max-tokens', '100000']);
    const out: string[] = [];
    const err: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (d: string) => out.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => err.push(d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

    await waitFor(out, 'you> ');
    child.stdin.write('Where do we go next?\n');
    await waitFor(out, 'bot> ');
    // Mid-reply: wait until text has streamed after the prefix, then Ctrl-C.
    const streamed = () => out.join('').split('bot> ')[1] ?? '';
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (streamed().length > 20) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    child.kill('SIGINT');
    await waitFor(out, '[stopped]');
    child.stdin.write('/temperature 0.5\n/top-p 0.7\n/temperature nope\n/history\n');
    await waitFor(err, '/temperature needs a number');
    await waitFor(err, 'you> Where do we go next?');
    child.stdin.write('/reset\n/history\n');
    await waitFor(err, '(no conversation yet)');
    // Each of the seven lines after the stop is answered with a new prompt: the REPL is waiting again.
    await waitFor(out, `[stopped]\n${'you> '.repeat(7)}`);
    // Ctrl-C at an empty prompt leaves.
    child.kill('SIGINT');
    const code = await exited;

    const notes = err.join('');
    expect(code).toBe(0);
    expect(notes).toContain('(temperature 0.5)');
    expect(notes).toContain('(top-p 0.7)');
    // The stopped reply stays in the history, as far as it got.
    expect(notes).toMatch(/bot> \S/);
    expect(notes).toContain('(conversation forgotten)');
    expect(notes).toContain('(no conversation yet)');
    expect(out.join('')).not.toContain('\uFFFD');
  });
});

describe('bad input (exit codes and one line naming the file)', () => {
  it('a malformed chat JSONL line', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"messages":[{"role":"user","content":"hi"}]}\n{"messages":[{"role":"user"}]}\n');
    const r = runCli(['prepare', '--jsonl', bad, '--out', join(dir, 'prepared')]);
    expect(r.status).toBe(EXIT_CODES.input);
    expect(r.stderr.trim()).toBe(`seqgen-chat: error: ${bad}:2: messages[0] has no string "content"`);
  });

  it('a folder that is not a checkpoint', async () => {
    const error = await loadChatbot(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(exitCodeFor(error)).toBe(EXIT_CODES.input);
    expect((error as Error).message).toContain(dir);
  });
});
