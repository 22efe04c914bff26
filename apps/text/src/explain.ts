import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@seqgen/app-kit';
import {
  ablationEffect,
  explorerHtml,
  gateSaturation,
  heatmapPng,
  integratedGradients,
  rankUnits,
  TEXT_FEATURE_NAMES,
  textFeatures,
  traceLanguageModel,
  unitActivations,
  unitName,
} from '@seqgen/interpret';
import { loadLanguageModel } from './checkpoint.js';
import { corpusLimit, readCorpus, splitHeldOut } from './corpus.js';
import { mobyDickPath } from './moby-dick.js';

/** What `seqgen-text explain` reads and writes. */
export interface ExplainOptions {
  /** Checkpoint folder (default: the shipped pretrained model). */
  checkpoint: string;
  /** Text file or folder; its held-out last 10% is explained (default: Moby-Dick). */
  corpus?: string;
  /** Held-out characters to trace and search (default 4000). */
  chars?: number;
  /** Characters shown in the explorer page (default 600). */
  explorerChars?: number;
  /** Units listed per feature (default 3). */
  top?: number;
  /** Folder receiving explorer.html, units.png and report.json. */
  out: string;
  /** Replace existing output files. */
  force?: boolean;
  /** Most MiB the corpus may hold. */
  maxCorpusMb?: number;
}

/** One found unit: its correlation with a feature and what zeroing it does to the loss. */
export interface ExplainedUnit {
  unit: string;
  correlation: number;
  /** Mean next-character loss (nats) where the feature holds, and its change with the unit zeroed. */
  loss_holds: number;
  delta_holds: number;
  /** The same elsewhere. */
  loss_elsewhere: number;
  delta_elsewhere: number;
}

/** The JSON report of `explain`. */
export interface ExplainReport {
  checkpoint: string;
  corpus: string;
  characters: number;
  /** Top units per built-in feature. */
  features: Record<string, ExplainedUnit[]>;
  /** Features with one value all along the text (no correlation to measure), not searched. */
  constant_features: string[];
  /** Mean fraction of steps each gate is below 0.1 / above 0.9, per layer. */
  gate_saturation: Array<{ layer: number; gate: string; left: number; right: number }>;
  explorer: string;
  png: string;
}

/**
 * Neuron search on held-out text: traces the checkpoint over it, ranks units
 * by correlation with each built-in text feature, ablates each found unit
 * (loss where the feature holds versus elsewhere), and writes the explorer
 * page and a PNG of the top units' activations.
 */
export async function explainCheckpoint(options: ExplainOptions): Promise<ExplainReport> {
  // Refuse before the work, not after it.
  for (const file of [join(options.out, 'explorer.html'), join(options.out, 'units.png')]) {
    if (existsSync(file) && !options.force) {
      throw new InputError(`refusing to overwrite ${file}: it exists (--force replaces it)`, file);
    }
  }
  const { model, tokenizer, path } = await loadLanguageModel(options.checkpoint);
  try {
    const corpus = options.corpus ?? mobyDickPath();
    const heldOut = splitHeldOut(readCorpus(corpus, corpusLimit(options.maxCorpusMb))).heldOut;
    // Start at a line start so that position-in-line is the real column.
    const from = heldOut.indexOf('\n') + 1;
    const text = Array.from(heldOut.slice(from))
      .slice(0, options.chars ?? 4000)
      .join('');
    if (text.length === 0) throw new InputError(`the held-out part of ${corpus} is empty: nothing to explain`, corpus);
    const ids = tokenizer.encode(text);
    const chars = Array.from(text);
    if (ids.length !== chars.length) {
      throw new InputError(
        `explain needs a character-level checkpoint (one token per character); ${path} is not`,
        path,
      );
    }
    const trace = traceLanguageModel(model, ids);
    const features = textFeatures(text);
    const report: ExplainReport = {
      checkpoint: path,
      corpus,
      characters: chars.length,
      features: {},
      constant_features: [],
      gate_saturation: gateSaturation(trace).map((g) => ({
        layer: g.layer,
        gate: g.gate,
        left: g.meanLeft,
        right: g.meanRight,
      })),
      explorer: join(options.out, 'explorer.html'),
      png: join(options.out, 'units.png'),
    };
    for (const name of TEXT_FEATURE_NAMES) {
      const feature = features[name];
      if (feature.every((v) => v === feature[0])) {
        report.constant_features.push(name);
        continue;
      }
      // Ablation compares positions where the feature holds with the others; a count feature "holds" above its mean.
      const mean = feature.reduce((a, b) => a + b, 0) / feature.length;
      const holds = Array.from(feature, (v) => (isBinary(feature) ? v > 0 : v > mean));
      report.features[name] = rankUnits(trace, feature, { top: options.top ?? 3 }).map((found) => {
        const effect = ablationEffect(model, ids, { layer: found.layer, units: [found.unit] }, holds);
        return {
          unit: unitName(found),
          correlation: found.correlation,
          loss_holds: effect.lossHolds,
          delta_holds: effect.deltaHolds,
          loss_elsewhere: effect.lossElsewhere,
          delta_elsewhere: effect.deltaElsewhere,
        };
      });
    }
    writeOutputs(options, report, trace, chars, model, ids);
    return report;
  } finally {
    model.dispose();
  }
}

function writeOutputs(
  options: ExplainOptions,
  report: ExplainReport,
  trace: ReturnType<typeof traceLanguageModel>,
  chars: string[],
  model: Parameters<typeof integratedGradients>[0],
  ids: number[],
): void {
  mkdirSync(options.out, { recursive: true });
  const shown = Math.min(options.explorerChars ?? 600, chars.length);
  const window = (values: Float32Array) => values.slice(0, shown);
  const refOf = (name: string) => {
    const [layer, quantity, unit] = name.slice(1).split(' ');
    return { layer: Number(layer), quantity: quantity as string, unit: Number(unit) };
  };
  // Every cell-state unit, plus the found units of other quantities.
  const names = new Set<string>();
  trace.layers.forEach((layer, l) => {
    for (let u = 0; u < (layer.quantities.c?.size ?? 0); u++) names.add(unitName({ layer: l, quantity: 'c', unit: u }));
  });
  const findings = Object.entries(report.features).flatMap(([feature, units]) =>
    units.map((u) => ({
      feature,
      unit: u.unit,
      correlation: u.correlation,
      deltaHolds: u.delta_holds,
      deltaElsewhere: u.delta_elsewhere,
    })),
  );
  for (const f of findings) names.add(f.unit);
  // Saliency of the last shown character's prediction over the 60 before it.
  const end = Math.min(shown, ids.length - 1);
  const start = Math.max(0, end - 60);
  const ig = integratedGradients(model, ids.slice(start, end + 1), { position: end - start - 1 }, { steps: 16 });
  const html = explorerHtml({
    title: `seqgen-text explain: ${report.checkpoint}`,
    tokens: chars.slice(0, shown),
    units: [...names].map((name) => ({ name, values: window(unitActivations(trace, refOf(name))) })),
    findings,
    saliency: [
      {
        title: `integrated gradients of log p(${JSON.stringify(chars[end])}) at character ${end} (baseline: zero embeddings, 16 steps)`,
        tokens: chars.slice(start, end + 1),
        values: ig.attributions,
      },
    ],
  });
  writeFileSync(report.explorer, html);
  // PNG: the top unit of each feature over the first 200 characters, one row each.
  const columns = Math.min(200, chars.length);
  const rows = Object.values(report.features)
    .map((units) => units[0])
    .filter((u): u is ExplainedUnit => u !== undefined)
    .map((u) => {
      const values = unitActivations(trace, refOf(u.unit)).slice(0, columns);
      const scale = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
      return Array.from(values, (v) => v / scale);
    });
  writeFileSync(report.png, heatmapPng(rows, { cellWidth: 4, cellHeight: 12, min: -1, max: 1 }));
}

function isBinary(values: Float32Array): boolean {
  return values.every((v) => v === 0 || v === 1);
}
