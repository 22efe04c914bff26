import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_CODES } from '@seqgen/app-kit';
import { initBackend } from '@seqgen/core';
import {
  composeCaptionScenes,
  decodeImage,
  encodePng,
  loadSceneSources,
  sceneImage,
  VisionDataError,
} from '@seqgen/vision';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRETRAINED_CHECKPOINT } from '../src/captioner-checkpoint.js';
import { explainImage } from '../src/explain.js';
import { readImageFile } from '../src/image-input.js';
import { runCli, TINY } from './run-cli.js';

let dir: string;
let scenes: string[];
let references: string[][];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-caption-'));
  const set = composeCaptionScenes(await loadSceneSources('test', { perKind: 20 }), { count: 2, seed: 7 });
  scenes = [0, 1].map((i) => {
    const path = join(dir, `scene-${i}.png`);
    writeFileSync(path, encodePng(sceneImage(set, i)));
    return path;
  });
  references = set.captions;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('seqgen-caption train → caption → eval', () => {
  it('trains, captions images with one attention overlay per word, and evaluates beside the baselines', () => {
    const run = join(dir, 'run');
    const trained = runCli(['train', ...TINY, '--steps', '4', '--out', run, '--json']);
    expect(trained.stderr).toMatch(/validation loss/);
    expect(trained.status).toBe(0);
    const summary = JSON.parse(trained.stdout) as {
      steps: number;
      split: string;
      metrics: Record<string, number>;
    };
    expect(summary).toMatchObject({ steps: 4, split: 'valid' });
    expect(Object.keys(summary.metrics)).toEqual(['cider_d', 'bleu_4', 'nats_per_token']);
    expect(readdirSync(run)).toEqual(
      expect.arrayContaining(['checkpoint.json', 'train-log.jsonl', 'loss.svg', 'run.json']),
    );
    // Refuses to overwrite a run without --force.
    const again = runCli(['train', ...TINY, '--steps', '1', '--out', run]);
    expect(again.status).toBe(EXIT_CODES.input);
    expect(again.stderr).toMatch(/refusing to overwrite/);

    const overlays = join(dir, 'overlays');
    const captioned = runCli(['caption', ...scenes, '--checkpoint', run, '--beams', '2', '--out', overlays, '--json']);
    expect(captioned.status).toBe(0);
    const out = JSON.parse(captioned.stdout) as { captions: { image: string; caption: string; overlays: string[] }[] };
    expect(out.captions.map((c) => c.image)).toEqual(scenes);
    for (const c of out.captions) {
      expect(c.overlays.length).toBe(c.caption.split(' ').filter(Boolean).length);
      for (const file of c.overlays) {
        const png = decodeImage(readFileSync(file));
        expect([png.width, png.height, png.channels]).toEqual([224, 224, 3]);
      }
    }

    const report = join(dir, 'report.json');
    const evaluated = runCli(['eval', '--checkpoint', run, '--limit', '6', '--beams', '1', '--out', report, '--json']);
    expect(evaluated.status).toBe(0);
    const json = JSON.parse(evaluated.stdout) as {
      checkpoint: string;
      split: string;
      examples: number;
      metrics: Record<string, number>;
      baselines: Record<string, Record<string, number>>;
    };
    expect(json).toMatchObject({ checkpoint: run, split: 'test', examples: 6 });
    const names = ['bleu_1', 'bleu_2', 'bleu_3', 'bleu_4', 'cider_d'];
    expect(Object.keys(json.metrics)).toEqual(names);
    expect(Object.keys(json.baselines).sort()).toEqual(['most_frequent_caption', 'nearest_neighbour']);
    for (const m of [json.metrics, ...Object.values(json.baselines)]) {
      expect(Object.keys(m)).toEqual(names);
      for (const v of Object.values(m)) expect(v).toBeGreaterThanOrEqual(0);
    }
    expect(JSON.parse(readFileSync(report, 'utf8')).examples).toBe(6);
    expect(references.length).toBe(2);
  });
});

describe('seqgen-caption explain', () => {
  it('gives each word attention rows that sum to 1, a words × positions heat map, overlays and the units tracking word kinds', async () => {
    const out = join(dir, 'explain');
    await initBackend();
    const json = await explainImage({
      checkpoint: PRETRAINED_CHECKPOINT,
      image: { name: scenes[0] as string, ...readImageFile(scenes[0] as string) },
      beams: 1,
      out,
    });
    const words = json.caption.split(' ');
    expect(json.grid).toEqual([7, 7]);
    expect(json.words.map((w) => w.word)).toEqual([...words, '</s>']);
    expect(json.attention).toHaveLength(words.length + 1);
    for (const [t, row] of json.attention.entries()) {
      expect(row).toHaveLength(49);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
      const peak = json.words[t] as { row: number; column: number; weight: number };
      expect(row[peak.row * 7 + peak.column]).toBe(Math.max(...row));
    }
    const heatmap = decodeImage(readFileSync(join(out, 'attention.png')));
    expect([heatmap.width, heatmap.height]).toEqual([49 * 8, (words.length + 1) * 16]);
    expect(json.files).toHaveLength(1 + words.length);
    // The shipped model captions this scene with a position word and an object word, so both features vary.
    expect(Object.keys(json.units)).toEqual(['position-word', 'object-word']);
    for (const units of Object.values(json.units)) {
      expect(units).toHaveLength(3);
      for (const u of units) expect(Math.abs(u.correlation)).toBeLessThanOrEqual(1);
      expect(Math.abs(units[0]?.correlation ?? 0)).toBeGreaterThan(0.5);
    }
    // A checkpoint of another kind is refused by name, as by `caption`.
    const wrong = scenes[1] as string;
    await expect(
      explainImage({ ...{ image: { name: wrong, ...readImageFile(wrong) } }, checkpoint: wrong, beams: 1 }),
    ).rejects.toThrow(wrong);
  });
});

describe('bad input', () => {
  it('names each unreadable image: missing, empty, corrupt, unsupported, huge', () => {
    const files = {
      empty: join(dir, 'empty.png'),
      corrupt: join(dir, 'corrupt.png'),
      gif: join(dir, 'animation.gif'),
      huge: join(dir, 'huge.png'),
    };
    writeFileSync(files.empty, new Uint8Array(0));
    // A PNG signature and the start of a header chunk, then garbage.
    writeFileSync(files.corrupt, Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), Buffer.alloc(40, 7)]));
    writeFileSync(files.gif, Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'));
    // A real PNG whose header claims 100,000 × 100,000 pixels.
    const png = Buffer.from(encodePng({ width: 1, height: 1, channels: 1, data: new Uint8Array(1) }));
    png.writeUInt32BE(100_000, 16);
    png.writeUInt32BE(100_000, 20);
    writeFileSync(files.huge, png);
    const reasons = Object.fromEntries(
      Object.entries(files).map(([name, path]) => {
        try {
          readImageFile(path);
          return [name, 'read'];
        } catch (error) {
          expect((error as Error).message).toContain(path);
          return [name, error instanceof VisionDataError ? error.reason : (error as Error).name];
        }
      }),
    );
    expect(reasons).toEqual({
      empty: 'empty',
      corrupt: expect.stringMatching(/corrupt|truncated/),
      gif: 'unsupported-format',
      huge: 'too-large',
    });
    expect(() => readImageFile(join(dir, 'missing.png'))).toThrow(/no such image file/);
  });

  it('exits with one line naming the file, before loading a model or writing anything', () => {
    const missing = runCli(['caption', join(dir, 'missing.png'), '--out', join(dir, 'never')]);
    expect(missing.status).toBe(EXIT_CODES.input);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('missing.png');
    expect(existsSync(join(dir, 'never'))).toBe(false);
    // A checkpoint of another kind (the vision package's Fashion-MNIST classifier) is refused by name.
    const wrong = runCli(['caption', scenes[0] as string, '--checkpoint', join(dir, 'scene-1.png')]);
    expect(wrong.status).toBe(EXIT_CODES.input);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
  });
});
