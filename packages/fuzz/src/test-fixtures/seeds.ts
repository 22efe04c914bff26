/**
 * Real seed inputs for the fuzz targets, made with the real writers: models
 * saved by `RecurrentLanguageModel.save` (a checkpoint folder and a `.seqgen`
 * file each), the PyTorch safetensors fixtures of @seqgen/interop, and
 * tokenizers trained on Moby-Dick. Deterministic: the same bytes every run
 * (model weights are seeded, and `createdAt` is pinned), so a fixed-seed fuzz
 * run tries the same inputs every time.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RecurrentLanguageModel } from '@seqgen/models';
import { readMobyDick } from '@seqgen/test-utils';
import { ByteBpeTokenizer, CharTokenizer, type SeqgenTokenizer, WordTokenizer } from '@seqgen/tokenizers';

/** A seed input and what it is (shown in findings). */
export interface Seed {
  name: string;
  bytes: Uint8Array;
}

const PINNED_DATE = '2026-01-01T00:00:00.000Z';
const interopFixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'interop', 'fixtures');

/** Training text: a slice of Moby-Dick (real English, real punctuation). */
export function seedText(length = 20_000): string {
  return readMobyDick().slice(100_000, 100_000 + length);
}

/** The tokenizers every seed is made with, trained on Moby-Dick. */
export function seedTokenizers(): Array<{ name: string; tokenizer: SeqgenTokenizer }> {
  const text = seedText();
  return [
    { name: 'char', tokenizer: CharTokenizer.fromText(text, { specialTokens: ['<unk>'] }) },
    {
      name: 'word',
      tokenizer: WordTokenizer.train(text, {
        maxVocabSize: 600,
        minCount: 2,
        preTokenizer: { type: 'regex', pattern: '\\w+|\\W' },
        separator: '',
        specialTokens: ['<unk>'],
      }),
    },
    { name: 'byte-bpe', tokenizer: ByteBpeTokenizer.train(text.slice(0, 8_000), { vocabSize: 300 }) },
  ];
}

/** Tokenizer JSON seeds (as files hold them). */
export function tokenizerSeeds(): Seed[] {
  return seedTokenizers().map(({ name, tokenizer }) => ({
    name: `${name} tokenizer (Moby-Dick)`,
    bytes: new TextEncoder().encode(JSON.stringify(tokenizer.toJSON(), null, 2)),
  }));
}

/** The safetensors files of @seqgen/interop's PyTorch parity fixtures. */
export function safetensorsSeeds(): Seed[] {
  return readdirSync(interopFixtures)
    .filter((f) => f.endsWith('.safetensors'))
    .sort()
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(interopFixtures, f))) }));
}

/** Pins `"createdAt"` (same length, so a `.seqgen` header's manifest length still holds). */
function pinDate(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  return new Uint8Array(
    Buffer.from(
      text.replace(/"createdAt":\s*"[^"]{24}"/, (m) => m.replace(/"[^"]{24}"$/, `"${PINNED_DATE}"`)),
      'latin1',
    ),
  );
}

export interface CheckpointSeeds {
  /** `checkpoint.json` of each saved folder. */
  manifests: Seed[];
  /** Each `.seqgen` file. */
  files: Seed[];
  /** Folder holding every saved folder's weight shards (content-addressed names, no clash). */
  shards: string;
}

/**
 * Saves small real models (an LSTM with a char tokenizer, a 2-layer GRU with a
 * word tokenizer, an LSTM with a byte-BPE tokenizer) as folders and `.seqgen`
 * files under `dir` (once; later calls read them back).
 */
export async function checkpointSeeds(dir: string): Promise<CheckpointSeeds> {
  const shards = join(dir, 'shards');
  const done = join(dir, 'done');
  if (!existsSync(done)) {
    const staging = `${dir}.staging-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(join(staging, 'shards'), { recursive: true });
    const cells = ['lstm', 'gru', 'lstm'] as const;
    const tokenizers = seedTokenizers();
    for (const [i, { name, tokenizer }] of tokenizers.entries()) {
      const vocabSize = tokenizer.vocabSize;
      const model = new RecurrentLanguageModel({
        vocabSize,
        embeddingSize: 8,
        hiddenSize: 16,
        cell: cells[i] ?? 'lstm',
        numLayers: i === 1 ? 2 : 1,
        seed: i + 1,
      });
      try {
        const folder = join(staging, `${name}-folder`);
        await model.save(folder, { tokenizer, metadata: { fuzzSeed: name } });
        for (const f of readdirSync(folder)) {
          if (f === 'checkpoint.json')
            writeFileSync(join(staging, `${name}.checkpoint.json`), pinDate(readFileSync(join(folder, f))));
          else renameSync(join(folder, f), join(staging, 'shards', f));
        }
        rmSync(folder, { recursive: true, force: true });
        const file = join(staging, `${name}.seqgen`);
        await model.save(file, { tokenizer, metadata: { fuzzSeed: name } });
        writeFileSync(file, pinDate(readFileSync(file)));
      } finally {
        model.dispose();
      }
    }
    writeFileSync(join(staging, 'done'), tokenizers.map((t) => t.name).join('\n'));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(staging, dir);
  }
  const names = readFileSync(done, 'utf8').split('\n');
  return {
    manifests: names.map((n) => ({
      name: `checkpoint.json of a ${n}-tokenizer model folder`,
      bytes: new Uint8Array(readFileSync(join(dir, `${n}.checkpoint.json`))),
    })),
    files: names.map((n) => ({
      name: `${n}-tokenizer model .seqgen`,
      bytes: new Uint8Array(readFileSync(join(dir, `${n}.seqgen`))),
    })),
    shards,
  };
}
