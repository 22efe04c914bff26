/**
 * Writes hand-made hostile inputs for the @seqgen/text readers into the
 * regression corpus, made from the real seeds: gettext catalogs whose header
 * claims 2³¹ messages, tables or strings past the end, a 4 GiB string, an
 * unknown major revision, the byte order flipped, a made-up charset, invalid
 * UTF-8; chat JSONL nested 100,000 deep, with `messages` of the wrong type,
 * `__proto__` keys, invalid UTF-8 and lone carriage returns. None failed when
 * written (a long fuzz run found nothing either); the replay keeps it so.
 *
 *   pnpm --filter @seqgen/fuzz exec tsx src/text-corpus.ts
 */
import { inputId, Sandbox, saveFinding } from './runner.js';
import type { Target } from './target.js';
import { targetNamed } from './targets.js';

const sandbox = new Sandbox({ timeoutMs: 20_000 });

async function save(target: Target, bytes: Uint8Array, description: string): Promise<void> {
  const result = await sandbox.run(target, bytes);
  const file = saveFinding({ target: target.name, id: inputId(bytes), bytes, description, result });
  console.log(`${result.outcome.padEnd(7)} ${target.name}: ${description} -> ${file}`);
}

/** A copy of `bytes` with the little-endian u32 at `offset` set to `value`. */
function withU32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  new DataView(copy.buffer).setUint32(offset, value >>> 0, true);
  return copy;
}

try {
  const mo = targetNamed('mo-catalog');
  const catalogs = await sandbox.seeds(mo);
  const seed = catalogs[catalogs.length - 1];
  if (!seed) throw new Error('no .mo catalog installed (/usr/share/locale/*/LC_MESSAGES)');
  const real = seed.bytes;
  const view = new DataView(real.buffer, real.byteOffset, real.byteLength);
  const originals = view.getUint32(12, true);
  // Header: magic, revision, count, originals table, translations table (u32 each); a table entry is [length, offset].
  await save(mo, withU32(real, 8, 0x7fffffff), 'a header claiming 2^31 - 1 messages');
  await save(mo, withU32(real, 12, real.length - 4), 'the originals table starting 4 bytes before the end');
  await save(mo, withU32(real, originals + 8, 0xffffffff), 'a 4 GiB original string');
  await save(mo, withU32(real, originals + 12, 0xfffffff0), 'a string offset far past the end');
  await save(mo, withU32(real, 4, 0x00020000), 'major revision 2');
  const swapped = new Uint8Array(real);
  swapped.set([0x95, 0x04, 0x12, 0xde], 0);
  await save(mo, swapped, 'big-endian magic in front of little-endian tables');
  await save(mo, real.slice(0, originals + 16), 'cut right after the first table entry');
  const text = new TextDecoder('latin1').decode(real);
  const charset = text.indexOf('charset=UTF-8');
  if (charset >= 0) {
    const unknown = new Uint8Array(real);
    unknown.set(new TextEncoder().encode('charset=UTF-9'), charset);
    await save(mo, unknown, 'a header naming a charset that does not exist (UTF-9)');
    const invalid = new Uint8Array(real);
    invalid.set([0xc3, 0x28, 0xff], charset - 8);
    await save(mo, invalid, 'invalid UTF-8 inside the header entry');
  }

  const jsonl = targetNamed('chat-jsonl');
  const encode = (s: string) => new TextEncoder().encode(s);
  const ok = '{"messages":[{"role":"user","content":"Call me Ishmael."}]}';
  const cases: Array<[Uint8Array, string]> = [
    [encode(`${ok}\n${'['.repeat(100_000)}${']'.repeat(100_000)}\n`), 'a line of arrays nested 100,000 deep'],
    [encode(`{"messages":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}\n`), 'messages: an object 50,000 deep'],
    [encode('{"messages":"Call me Ishmael."}\n'), 'messages: a string'],
    [encode('{"messages":[null,1,"x",[]]}\n'), 'messages: null, a number, a string, an array'],
    [encode('{"messages":[{"role":"user","content":[null,{"text":1}]}]}\n'), 'content parts of the wrong type'],
    [encode('{"__proto__":{"messages":[]},"messages":[{"role":"__proto__","content":"x"}]}\n'), '__proto__ keys'],
    [
      new Uint8Array([...encode('{"messages":[{"role":"user","content":"'), 0xc3, 0x28, 0xff, ...encode('"}]}\n')]),
      'invalid UTF-8',
    ],
    [encode(`${ok}\r${ok}\r\r\n\r`), 'lone carriage returns between records'],
    [encode(`\uFEFF${ok}\n\uFEFF${ok}\n`), 'a byte-order mark on every line'],
  ];
  for (const [bytes, what] of cases) await save(jsonl, bytes, what);
} finally {
  sandbox.close();
}
