/**
 * Writes the hostile inputs of issue 14 into the regression corpus, made from
 * the real seeds: configs that claim huge sizes beside small weights, absurd
 * sizes, wrong types, an unsupported format version, catastrophic
 * pre-tokenizer regexes (alone and inside a checkpoint), and safetensors that
 * break the format's rules. Each failed once (hang, untyped error, or silently
 * accepted); the corpus replay keeps them failing safely.
 *
 *   pnpm --filter @seqgen/fuzz exec tsx src/issue-14-corpus.ts
 */
import { inputId, Sandbox, saveFinding } from './runner.js';
import type { Target } from './target.js';
import { targetNamed } from './targets.js';

const sandbox = new Sandbox({ timeoutMs: 20_000 });
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decode = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes));
type Json = Record<string, any>;

async function save(target: Target, bytes: Uint8Array, description: string): Promise<void> {
  const result = await sandbox.run(target, bytes);
  const file = saveFinding({ target: target.name, id: inputId(bytes), bytes, description, result });
  console.log(`${result.outcome.padEnd(7)} ${target.name}: ${description} -> ${file}`);
}

const EVIL = '(a+)+$|\\S';

try {
  // Checkpoint folders: the manifest of the char-tokenizer seed, edited.
  const folder = targetNamed('checkpoint-folder');
  const [charManifest, wordManifest] = await sandbox.seeds(folder);
  const configEdits: Array<[string, unknown]> = [
    ['hiddenSize', 4096],
    ['numLayers', 100_000],
    ['vocabSize', 1e9],
    ['hiddenSize', 1e12],
    ['hiddenSize', '256'],
  ];
  for (const [field, value] of configEdits) {
    const m = decode(charManifest!.bytes) as Json;
    m.config[field] = value;
    await save(folder, encode(m), `issue 14: config.${field} = ${JSON.stringify(value)} beside the real weights`);
  }
  {
    const m = decode(charManifest!.bytes) as Json;
    m.formatVersion = 99;
    await save(folder, encode(m), 'issue 14: formatVersion 99');
  }
  {
    const m = decode(wordManifest!.bytes) as Json;
    const tokenizer = (m.preprocessors?.tokenizer ?? m.tokenizer) as Json;
    tokenizer.preTokenizer = { type: 'regex', pattern: EVIL };
    await save(folder, encode(m), `issue 14: word tokenizer with pre-tokenizer regex ${EVIL} inside a checkpoint`);
  }

  // A .seqgen file whose header claims format version 99.
  const file = targetNamed('checkpoint-file');
  const [charFile] = await sandbox.seeds(file);
  {
    const bytes = charFile!.bytes.slice();
    Buffer.from(bytes.buffer).writeUInt32LE(99, 8);
    await save(file, bytes, 'issue 14: .seqgen header format version 99');
  }

  // Tokenizer JSON with a catastrophic pre-tokenizer regex.
  const tokenizer = targetNamed('tokenizer-json');
  for (const seed of await sandbox.seeds(tokenizer)) {
    const t = decode(seed.bytes) as Json;
    if (t.type === 'word') t.preTokenizer = { type: 'regex', pattern: EVIL };
    else if (t.type === 'byte-bpe') t.pattern = EVIL;
    else continue;
    await save(tokenizer, encode(t), `issue 14: ${seed.name} with regex ${EVIL}`);
  }
  {
    const t = { type: 'char', version: 1, specialTokens: ['<unk>'], vocab: ['a', 'b'], onUnknown: 'unk' };
    await save(tokenizer, encode({ ...t, version: 1e12 }), 'issue 14: char tokenizer version 1e12');
  }

  // Safetensors breaking the format's rules.
  const st = targetNamed('safetensors');
  const safetensors = (header: Json, data: Uint8Array) => {
    const text = Buffer.from(JSON.stringify(header));
    const head = Buffer.alloc(8);
    head.writeBigUInt64LE(BigInt(text.length));
    return new Uint8Array(Buffer.concat([head, text, data]));
  };
  const i64 = Buffer.alloc(8);
  i64.writeBigInt64LE(2n ** 40n + 5n);
  await save(
    st,
    safetensors({ x: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, i64),
    'issue 14: I64 value 2^40+5 (outside int32)',
  );
  const f32 = new Uint8Array(8);
  const dupText =
    '{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
  {
    const head = Buffer.alloc(8);
    head.writeBigUInt64LE(BigInt(dupText.length));
    await save(st, new Uint8Array(Buffer.concat([head, Buffer.from(dupText), f32])), 'issue 14: duplicate tensor key');
  }
  const one = { dtype: 'F32', shape: [1], data_offsets: [0, 4] };
  await save(st, safetensors({ __metadata__: 'oops', x: one }, f32.subarray(0, 4)), 'issue 14: __metadata__ "oops"');
  await save(
    st,
    safetensors({ __metadata__: { n: 1 }, x: one }, f32.subarray(0, 4)),
    'issue 14: non-string metadata value',
  );
  await save(st, safetensors({ x: one }, f32), 'issue 14: trailing bytes after the last tensor');
  await save(
    st,
    safetensors({ x: one, y: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, new Uint8Array(12)),
    'issue 14: hole between tensors',
  );

  // Files that are not regular files where a reader expects one.
  const special = targetNamed('special-files');
  const PLACE = { manifest: 0, shard: 1, seqgen: 2, safetensors: 3 };
  const KIND = { fifo: 0, folder: 1, devZero: 2, devUrandom: 3, outside: 4 };
  const cases: Array<[number, number, string]> = [
    [PLACE.safetensors, KIND.fifo, 'readSafetensors on a FIFO'],
    [PLACE.safetensors, KIND.devZero, 'readSafetensors on a symlink to /dev/zero'],
    [PLACE.safetensors, KIND.devUrandom, 'readSafetensors on a symlink to /dev/urandom'],
    [PLACE.safetensors, KIND.folder, 'readSafetensors on a directory'],
    [PLACE.manifest, KIND.folder, 'a directory in place of checkpoint.json'],
    [PLACE.manifest, KIND.fifo, 'a FIFO in place of checkpoint.json'],
    [PLACE.manifest, KIND.outside, 'checkpoint.json symlinked outside the checkpoint folder'],
    [PLACE.shard, KIND.outside, 'a weight shard symlinked outside the checkpoint folder'],
    [PLACE.shard, KIND.devZero, 'a weight shard symlinked to /dev/zero'],
    [PLACE.seqgen, KIND.fifo, 'a .seqgen checkpoint that is a FIFO'],
  ];
  for (const [place, kind, what] of cases) await save(special, new Uint8Array([place, kind]), `issue 14: ${what}`);
} finally {
  sandbox.close();
}
