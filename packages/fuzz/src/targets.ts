import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSafetensors, readSafetensors } from '@seqgen/interop';
import { modelFromCheckpoint, RecurrentLanguageModel } from '@seqgen/models';
import { type SeqgenTokenizer, tokenizerFromJSON } from '@seqgen/tokenizers';
import { imageFiles } from './image-target.js';
import { ljspeechMetadata } from './ljspeech-target.js';
import { midi } from './midi-target.js';
import type { FuzzContext, JsonSlot, Target } from './target.js';
import { checkpointSeeds, safetensorsSeeds, seedText, tokenizerSeeds } from './test-fixtures/seeds.js';
import { chatJsonl, moCatalog } from './text-targets.js';
import { isTypedError } from './typed-error.js';
import { videoFiles } from './video-target.js';
import { wav } from './wav-target.js';

export { isTypedError };

/**
 * Text every rebuilt tokenizer encodes: real prose, characters outside any
 * vocabulary, and the inputs that make backtracking regexes explode
 * (`(a+)+$` on `'a'×34 + '!'`, long whitespace runs).
 */
export const SAMPLE_TEXT = `${seedText(1_500)}\n${'a'.repeat(34)}! ${' '.repeat(64)}x Ωmega 😀 ${'ab'.repeat(40)}`;

/** Encodes and decodes the sample: a tokenizer that loads must also work (a catastrophic regex hangs here). */
function exercise(tokenizer: SeqgenTokenizer | null | undefined): void {
  if (!tokenizer) return;
  const ids = tokenizer.encode(SAMPLE_TEXT);
  tokenizer.decode(ids);
}

const utf8 = new TextDecoder('utf-8');
const whole = (input: Uint8Array): JsonSlot => ({
  text: utf8.decode(input),
  rebuild: (text) => new TextEncoder().encode(text),
});

/** `[magic 8][version u32][manifest length u32][manifest][payload]`: the manifest, its length kept in step. */
function seqgenManifest(input: Uint8Array): JsonSlot | undefined {
  if (input.length < 16) return undefined;
  const view = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const length = view.readUInt32LE(12);
  if (16 + length > input.length) return undefined;
  return {
    text: utf8.decode(input.subarray(16, 16 + length)),
    rebuild(text) {
      const manifest = Buffer.from(text, 'utf8');
      const head = Buffer.from(view.subarray(0, 16));
      head.writeUInt32LE(manifest.length, 12);
      return new Uint8Array(Buffer.concat([head, manifest, view.subarray(16 + length)]));
    },
  };
}

/** `[header length u64][JSON header][data]`: the header, its length kept in step. */
function safetensorsHeader(input: Uint8Array): JsonSlot | undefined {
  if (input.length < 8) return undefined;
  const view = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const length = Number(view.readBigUInt64LE(0));
  if (8 + length > input.length) return undefined;
  return {
    text: utf8.decode(input.subarray(8, 8 + length)),
    rebuild(text) {
      const header = Buffer.from(text, 'utf8');
      const head = Buffer.alloc(8);
      head.writeBigUInt64LE(BigInt(header.length));
      return new Uint8Array(Buffer.concat([head, header, view.subarray(8 + length)]));
    },
  };
}

async function seedsOf(ctx: FuzzContext) {
  return checkpointSeeds(join(ctx.workDir, 'checkpoint-seeds'));
}

export const checkpointFolder: Target = {
  name: 'checkpoint-folder',
  parser: 'RecurrentLanguageModel.load(<folder>) (core loadCheckpoint) + its tokenizer',
  seeds: async (ctx) => (await seedsOf(ctx)).manifests,
  async parse(input, ctx) {
    const { shards } = await seedsOf(ctx);
    const dir = ctx.scratch();
    // The mutated checkpoint.json beside the real shards of every seed model.
    for (const f of readdirSync(shards)) copyFileSync(join(shards, f), join(dir, f));
    writeFileSync(join(dir, 'checkpoint.json'), input);
    const loaded = await RecurrentLanguageModel.load(dir);
    try {
      exercise(loaded.tokenizer);
    } finally {
      loaded.model.dispose();
    }
  },
  isTypedError,
  json: whole,
};

export const checkpointFile: Target = {
  name: 'checkpoint-file',
  parser: 'modelFromCheckpoint(<file>.seqgen) (core loadCheckpoint) + its tokenizer',
  seeds: async (ctx) => (await seedsOf(ctx)).files,
  async parse(input, ctx) {
    const file = join(ctx.scratch(), 'model.seqgen');
    writeFileSync(file, input);
    const loaded = await modelFromCheckpoint(file);
    try {
      exercise(loaded.tokenizer as SeqgenTokenizer | null);
    } finally {
      loaded.model.dispose();
    }
  },
  isTypedError,
  json: seqgenManifest,
};

export const safetensors: Target = {
  name: 'safetensors',
  parser: 'parseSafetensors(<bytes>) and readSafetensors(<file>)',
  seeds: async () => safetensorsSeeds(),
  async parse(input, ctx) {
    parseSafetensors(input, 'fuzz.safetensors');
    const file = join(ctx.scratch(), 'fuzz.safetensors');
    writeFileSync(file, input);
    readSafetensors(file);
  },
  isTypedError,
  json: safetensorsHeader,
};

export const tokenizerJson: Target = {
  name: 'tokenizer-json',
  parser: 'tokenizerFromJSON(<text>) + encode/decode',
  seeds: async () => tokenizerSeeds(),
  async parse(input) {
    exercise(tokenizerFromJSON<SeqgenTokenizer>(utf8.decode(input)));
  },
  isTypedError,
  json: whole,
};

/** Which file of a checkpoint or safetensors input is replaced by something that is not a regular file. */
const PLACES = ['checkpoint.json', 'a weight shard', 'the .seqgen file', 'the .safetensors file'] as const;
/** What replaces it. */
const KINDS = [
  'a FIFO',
  'a folder',
  'a symlink to /dev/zero',
  'a symlink to /dev/urandom',
  'a symlink to a real file outside the folder',
  'a broken symlink',
  'an empty file',
  'a symlink to itself',
] as const;

function replaceWith(path: string, kind: number, outside: string): void {
  rmSync(path, { recursive: true, force: true });
  switch (kind) {
    case 0:
      execFileSync('mkfifo', [path]);
      break;
    case 1:
      mkdirSync(path);
      break;
    case 2:
      symlinkSync('/dev/zero', path);
      break;
    case 3:
      symlinkSync('/dev/urandom', path);
      break;
    case 4:
      symlinkSync(outside, path);
      break;
    case 5:
      symlinkSync(join(outside, 'no-such-file'), path);
      break;
    case 6:
      writeFileSync(path, '');
      break;
    default:
      symlinkSync(path, path);
  }
}

/** Describes a special-files input (`[place, kind]`). */
export function describeSpecialFile(input: Uint8Array): string {
  return `${PLACES[(input[0] ?? 0) % PLACES.length]} is ${KINDS[(input[1] ?? 0) % KINDS.length]}`;
}

/**
 * Readers on a file system that lies: the input's first byte picks a file
 * (checkpoint.json, a shard, a `.seqgen` file, a `.safetensors` file), its
 * second what stands there instead (a FIFO, a folder, a link to `/dev/zero`
 * or `/dev/urandom` or outside the folder, a broken or looping link, an
 * empty file). Opening a FIFO or reading a device without limit hangs.
 */
export const specialFiles: Target = {
  name: 'special-files',
  parser: 'loadCheckpoint / readSafetensors where a file is a FIFO, device, folder or symlink',
  seeds: async () =>
    PLACES.flatMap((_, place) =>
      KINDS.map((_, kind) => {
        const bytes = new Uint8Array([place, kind]);
        return { name: describeSpecialFile(bytes), bytes };
      }),
    ),
  async parse(input, ctx) {
    const place = (input[0] ?? 0) % PLACES.length;
    const kind = (input[1] ?? 0) % KINDS.length;
    const seeds = await seedsOf(ctx);
    const dir = ctx.scratch();
    const outsideDir = ctx.scratch();
    if (place <= 1) {
      const folder = join(dir, 'model');
      mkdirSync(folder);
      for (const f of readdirSync(seeds.shards)) copyFileSync(join(seeds.shards, f), join(folder, f));
      const manifest = seeds.manifests[0]?.bytes ?? new Uint8Array();
      writeFileSync(join(folder, 'checkpoint.json'), manifest);
      const shard = (JSON.parse(new TextDecoder().decode(manifest)) as { weightsManifest: Array<{ paths: string[] }> })
        .weightsManifest[0]?.paths[0] as string;
      const name = place === 0 ? 'checkpoint.json' : shard;
      const outside = join(outsideDir, name);
      copyFileSync(join(folder, name), outside);
      replaceWith(join(folder, name), kind, outside);
      (await RecurrentLanguageModel.load(folder)).model.dispose();
    } else if (place === 2) {
      const outside = join(outsideDir, 'real.seqgen');
      writeFileSync(outside, seeds.files[0]?.bytes ?? new Uint8Array());
      const file = join(dir, 'model.seqgen');
      replaceWith(file, kind, outside);
      (await modelFromCheckpoint(file)).model.dispose();
    } else {
      const outside = join(outsideDir, 'real.safetensors');
      writeFileSync(outside, safetensorsSeeds()[0]?.bytes ?? new Uint8Array());
      const file = join(dir, 'weights.safetensors');
      replaceWith(file, kind, outside);
      readSafetensors(file);
    }
  },
  isTypedError,
  hostileSeeds: true,
};

/**
 * Every fuzz target. Corpora are read by the text app (apps/text/src/corpus.ts),
 * which no package can import; apps/text/test covers them (FIFOs, devices, size limit).
 * The gettext `.mo` and chat JSONL readers of @seqgen/text are in text-targets.ts.
 */
export const TARGETS: readonly Target[] = [
  checkpointFolder,
  checkpointFile,
  safetensors,
  tokenizerJson,
  specialFiles,
  wav,
  ljspeechMetadata,
  midi,
  moCatalog,
  chatJsonl,
  videoFiles,
  imageFiles,
];

/**
 * Targets that misbehave on purpose, one per failure class: the harness's own
 * tests check that each is recorded as what it is (never run by `pnpm fuzz`).
 */
export const SELF_TEST_TARGETS: readonly Target[] = [
  {
    name: 'self-test-untyped',
    parser: 'throws a TypeError',
    seeds: async () => [{ name: 'x', bytes: new Uint8Array([1]) }],
    async parse(input) {
      if (input[0] === 1) (null as unknown as { x: number }).x;
    },
    isTypedError,
  },
  {
    name: 'self-test-hang',
    parser: 'never returns on a 1',
    seeds: async () => [{ name: 'x', bytes: new Uint8Array([1]) }],
    async parse(input) {
      while (input[0] === 1) {}
    },
    isTypedError,
  },
  {
    name: 'self-test-memory',
    parser: 'allocates without end on a 1',
    seeds: async () => [{ name: 'x', bytes: new Uint8Array([1]) }],
    async parse(input) {
      const hoard: Uint8Array[] = [];
      while (input[0] === 1) hoard.push(new Uint8Array(32 * 1024 * 1024).fill(1));
    },
    isTypedError,
  },
];

export function targetNamed(name: string): Target {
  const target = TARGETS.find((t) => t.name === name) ?? SELF_TEST_TARGETS.find((t) => t.name === name);
  if (!target) throw new Error(`no fuzz target "${name}" (targets: ${TARGETS.map((t) => t.name).join(', ')})`);
  return target;
}
