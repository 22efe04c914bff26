import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeOutputFile } from '@seqgen/app-kit';
import { ConfigError } from '@seqgen/core';
import { frameIntegratedGradients, heatmapPng, rankUnits, traceForecaster, unitName } from '@seqgen/interpret';
import { loadForecaster } from './checkpoints.js';
import { frameChange } from './frame-change.js';
import { readInputClip } from './input-clip.js';

/** Channels reported. */
const TOP_UNITS = 3;
/** Pixels per cell of the attribution strip. */
const STRIP_CELL = 32;

/** `explain`'s settings. */
export type ExplainClipOptions = {
  /** An animated GIF or a folder of frames. */
  input: string;
  /** Frames read (the first predicted frame is explained). */
  context: number;
  /** Points on the integrated-gradients path. */
  steps: number;
  /** Forecaster checkpoint or run folder (default: the shipped one). */
  checkpoint?: string;
  /** Folder for `saliency.png`. */
  out?: string;
  /** Replace an existing `saliency.png`. */
  force?: boolean;
};

/** What `explain` found. */
export type ClipExplanation = {
  /** Frames read. */
  context: number;
  /** Per input frame, its integrated-gradients attribution to the first predicted frame's mean brightness (0–1). */
  attributions: number[];
  /** The explained value: the first predicted frame's mean brightness (0–1). */
  output: number;
  /** The same prediction after black frames. */
  baselineOutput: number;
  /** Σ attributions − (output − baselineOutput). */
  completenessGap: number;
  /** Per input frame: the mean absolute pixel change from the frame before (0–255). */
  frameChange: number[];
  /** The ConvLSTM channels (per-channel spatial mean of `c` or `h`) most correlated with the frame change over the context. */
  units: { /** `L0 c 1` */ unit: string /** Pearson r */; correlation: number }[];
  /** Files written. */
  files: string[];
  /** The frames' size as read, when they were resized. */
  resizedFrom?: [number, number];
};

const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * `explain`: how the forecaster's first predicted frame depends on the
 * frames it read (integrated gradients from black frames, per frame), and
 * which of its channels rise and fall with the clip's motion (`rankUnits`
 * over the traced per-channel means against the frame-to-frame change).
 */
export async function explainClip(o: ExplainClipOptions): Promise<ClipExplanation> {
  const model = await loadForecaster(o.checkpoint);
  try {
    const { height, width } = model.config;
    if (o.context < 2)
      throw new ConfigError('--context', `must be at least 2 (a change needs two frames), got ${o.context}`);
    const clip = readInputClip(o.input, { width, height }, o.context);
    clip.tensor.dispose();
    const frames = clip.video.frames.slice(0, o.context).map((f) => Float32Array.from(f, (v) => v / 255));
    const ig = frameIntegratedGradients(model, frames, { position: o.context - 1 }, { steps: o.steps });
    const change = frameChange(clip.video, o.context);
    const trace = traceForecaster(model, frames);
    const units = rankUnits(trace, change, { top: TOP_UNITS }).map((u) => ({
      unit: unitName(u),
      correlation: round(u.correlation, 4),
    }));
    const files: string[] = [];
    if (o.out) {
      mkdirSync(o.out, { recursive: true });
      const path = join(o.out, 'saliency.png');
      writeOutputFile(path, heatmapPng([ig.attributions], { cellWidth: STRIP_CELL, cellHeight: STRIP_CELL }), {
        force: o.force,
      });
      files.push(path);
    }
    return {
      context: o.context,
      attributions: Array.from(ig.attributions, (a) => round(a)),
      output: round(ig.output),
      baselineOutput: round(ig.baselineOutput),
      completenessGap: round(ig.completenessGap),
      frameChange: Array.from(change, (c) => round(c, 3)),
      units,
      files,
      ...(clip.resizedFrom ? { resizedFrom: clip.resizedFrom } : {}),
    };
  } finally {
    model.dispose();
  }
}
