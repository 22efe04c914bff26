import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, initBackend } from '@seqgen/core';
import { readGif, writeGif } from '@seqgen/video';
import { decodeImage } from '@seqgen/vision';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../src/eval.js';
import { explainClip } from '../src/explain.js';
import { readInputClip } from '../src/input-clip.js';
import { PRETRAINED_CLASSIFIER } from '../src/paths.js';
import { predictClip } from '../src/predict.js';
import { summarizeClip } from '../src/summarize.js';
import { movingMnistVideo, runCli, writeBadInputs } from './run-cli.js';

let dir: string;
let clip: string;

beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-video-'));
  clip = join(dir, 'clip.gif');
  writeGif(clip, movingMnistVideo(14));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// One tiny training run, then predict / eval with its checkpoint: about 15 s of CPU on wasm.
describe('seqgen-video train → predict → eval', () => {
  it('trains a forecaster, predicts a GIF with the truth beside, and scores it against both baselines', async () => {
    const out = join(dir, 'forecaster');
    const trained = runCli([
      'train',
      '--task',
      'predict',
      '--hidden',
      '4',
      '--kernel',
      '3',
      '--steps',
      '2',
      '--batch',
      '2',
      '--valid',
      '2',
      '--out',
      out,
      '--json',
      '--quiet',
    ]);
    expect(trained.status, trained.stderr).toBe(0);
    const summary = JSON.parse(trained.stdout) as { steps: number; split: string; metrics: Record<string, number> };
    expect(summary.steps).toBe(2);
    expect(summary.split).toBe('valid');
    expect(summary.metrics.mse_per_frame).toBeGreaterThan(0);

    const gif = join(dir, 'predicted.gif');
    const predicted = runCli([
      'predict',
      '--input',
      clip,
      '--frames',
      '6',
      '--checkpoint',
      out,
      '--out',
      gif,
      '--json',
    ]);
    expect(predicted.status, predicted.stderr).toBe(0);
    const result = JSON.parse(predicted.stdout) as { truthFrames: number; metrics: { msePerFrame: number } };
    // 14 input frames, 10 read: 4 true frames to compare with the first 4 of 6 predicted.
    expect(result.truthFrames).toBe(4);
    expect(result.metrics.msePerFrame).toBeGreaterThan(0);
    const video = readGif(gif, { channels: 1 });
    expect(video.frames).toHaveLength(16);
    expect([video.width, video.height]).toEqual([2 + 64 + 2 + 64 + 2, 68]);

    // An existing --out is never replaced without --force (checked before anything is read).
    await expect(predictClip({ input: clip, out: gif, frames: 2, context: 10, checkpoint: out })).rejects.toThrow(
      /refusing to overwrite --out .*predicted\.gif: it exists/,
    );

    const evaluated = runCli(['eval', '--checkpoint', out, '--examples', '4', '--json']);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout) as {
      split: string;
      examples: number;
      metrics: Record<string, number>;
      baselines: Record<string, Record<string, number>>;
    };
    expect(report.split).toBe('test');
    expect(report.examples).toBe(4);
    expect(Object.keys(report.metrics).sort()).toEqual(['mae_per_frame', 'mse_per_frame', 'psnr', 'ssim']);
    expect(Object.keys(report.baselines).sort()).toEqual(['blank_frame', 'copy_last_frame', 'linear_extrapolation']);
    expect(report.baselines.copy_last_frame?.mse_per_frame).toBeGreaterThan(50);
  });

  it('refuses a corrupt GIF, frames of mixed sizes, too few frames and a non-video, naming the file', () => {
    const bad = writeBadInputs(join(dir, 'bad'));
    const size = { width: 64, height: 64 };
    expect(() => readInputClip(bad.corrupt, size, 10)).toThrow(/corrupt\.gif/);
    expect(() => readInputClip(bad.mixedSizes, size, 1)).toThrow(/frame2\.png/);
    expect(() => readInputClip(bad.short, size, 10)).toThrow(/short\.gif/);
    expect(() => readInputClip(bad.text, size, 1)).toThrow(/clip\.txt: not a \.gif file or a folder of frames/);
    expect(() => readInputClip(join(dir, 'missing'), size, 1)).toThrow(/missing: no such file or folder/);
    // Through the CLI: one line on stderr, the input exit code, nothing written.
    const gif = join(dir, 'never.gif');
    const r = runCli(['predict', '--input', bad.corrupt, '--checkpoint', join(dir, 'forecaster'), '--out', gif]);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/corrupt\.gif/);
    expect(existsSync(gif)).toBe(false);
  });
});

describe('seqgen-video with the shipped checkpoints', () => {
  it('classifies a clip and writes a keyframe contact sheet', async () => {
    const motion = join(dir, 'motion.gif');
    writeGif(motion, movingMnistVideo(10, 1, 5));
    const classified = runCli(['classify', motion, '--json']);
    expect(classified.status, classified.stderr).toBe(0);
    const { clips } = JSON.parse(classified.stdout) as {
      clips: { label: string; ranked: { probability: number }[] }[];
    };
    expect(clips[0]?.label).toMatch(/^(right|left)-(down|up) (straight|bounce)$/);
    expect(clips[0]?.ranked.reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1, 4);

    // summarize in this process (the CLI's own function): keyframes and a real PNG.
    const sheet = join(dir, 'sheet.png');
    const s = await summarizeClip({ input: clip, out: sheet, count: 3 });
    expect(s.keyframes).toHaveLength(3);
    expect(s.keyframes.every((k, i) => i === 0 || k - (s.keyframes[i - 1] as number) >= 2)).toBe(true);
    expect(statSync(sheet).size).toBeGreaterThan(100);
    expect(readFileSync(sheet).subarray(1, 4).toString()).toBe('PNG');
  });

  it('the shipped forecaster beats copy-last-frame on held-out sequences (eval in this process)', async () => {
    const report = await evaluate({ task: 'predict', examples: 4 });
    const copy = report.baselines.copy_last_frame?.mse_per_frame as number;
    expect(report.examples).toBe(4);
    expect(report.metrics.mse_per_frame).toBeLessThan(copy);
  });
});

describe('seqgen-video explain', () => {
  it("attributes the shipped forecaster's first prediction to the input frames (complete) and ranks channels by motion", async () => {
    const out = join(dir, 'explain');
    const found = await explainClip({ input: clip, context: 10, steps: 4, out });
    expect(found.attributions).toHaveLength(10);
    const sum = found.attributions.reduce((a, b) => a + b, 0);
    expect(Math.abs(found.completenessGap)).toBeLessThan(0.05 * Math.abs(found.output - found.baselineOutput));
    expect(sum).toBeCloseTo(found.output - found.baselineOutput + found.completenessGap, 5);
    expect(found.frameChange).toHaveLength(10);
    expect(found.frameChange[0]).toBe(found.frameChange[1]);
    expect(Math.min(...found.frameChange)).toBeGreaterThan(0);
    expect(found.units).toHaveLength(3);
    const strengths = found.units.map((u) => Math.abs(u.correlation));
    expect(strengths).toEqual([...strengths].sort((a, b) => b - a));
    const strip = decodeImage(readFileSync(join(out, 'saliency.png')));
    expect([strip.width, strip.height]).toEqual([10 * 32, 32]);
    // A checkpoint of another kind (the motion classifier) is refused before anything is written.
    await expect(
      explainClip({ input: clip, context: 10, steps: 4, checkpoint: join(PRETRAINED_CLASSIFIER, 'model') }),
    ).rejects.toThrow(CheckpointError);
  });
});
