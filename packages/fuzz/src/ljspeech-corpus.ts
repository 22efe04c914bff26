/**
 * Writes hand-made hostile LJSpeech `metadata.csv` files into the regression
 * corpus (target `ljspeech-metadata`): ids that climb out of `wavs/` or hold a
 * NUL, a repeated id, lines with one or four fields, a file of blank lines,
 * invalid UTF-8 and a megabyte-long transcript. None failed when written; the
 * replay keeps it so.
 *
 *   pnpm --filter @seqgen/fuzz exec tsx src/ljspeech-corpus.ts
 */
import { inputId, Sandbox, saveFinding } from './runner.js';
import { targetNamed } from './targets.js';

const sandbox = new Sandbox({ timeoutMs: 20_000 });
const target = targetNamed('ljspeech-metadata');
const text = (s: string) => new TextEncoder().encode(s);

async function save(bytes: Uint8Array, description: string): Promise<void> {
  const result = await sandbox.run(target, bytes);
  const file = saveFinding({ target: target.name, id: inputId(bytes), bytes, description, result });
  console.log(`${result.outcome.padEnd(7)} ${target.name}: ${description} -> ${file}`);
}

try {
  await save(text('LJ001-0001|Call me Ishmael.\n../../etc/passwd|Some years ago.\n'), 'an id that climbs out of wavs/');
  await save(text('LJ001-0001|Call me Ishmael.\nLJ\u0000001|Some years ago.\n'), 'an id holding a NUL');
  await save(text('..|Call me Ishmael.\n'), 'the id ".."');
  await save(text('LJ001-0001|Call me Ishmael.\nLJ001-0001|Some years ago.\n'), 'an id seen twice');
  await save(text('LJ001-0001\n'), 'a line without a transcript');
  await save(text('LJ001-0001|Call me|Ishmael|.\n'), 'a line with four fields');
  await save(text('\n\r\n  \n'), 'only blank lines');
  await save(Uint8Array.from([0x4c, 0x4a, 0x7c, 0xff, 0xfe, 0xc3, 0x28, 0x0a]), 'invalid UTF-8 in a transcript');
  await save(text(`LJ001-0001|${'whale '.repeat(200_000)}\n`), 'a 1.2 MB transcript');
} finally {
  sandbox.close();
}
