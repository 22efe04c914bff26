import { assertPositiveInteger, ConfigError, describeValue } from '@seqgen/core';
import { atMost, checkConfigFields, checkConfigObject, definedOnly } from '../config-checks.js';

/** Registry/config `type` of {@link VideoClassifier}. */
export const VIDEO_CLASSIFIER_TYPE = 'video-classifier';

/**
 * How a {@link VideoClassifier} turns a clip's per-frame features into one
 * vector: a bidirectional GRU (its two final states), or the non-recurrent
 * baseline that averages the features over time and applies a ReLU layer.
 */
export type VideoClassifierTemporal = 'bidirectional-gru' | 'mean-pool';

/** The complete JSON config of a {@link VideoClassifier} (what checkpoints store). */
export type VideoClassifierConfig = {
  /** Always {@link VIDEO_CLASSIFIER_TYPE}. */
  type: typeof VIDEO_CLASSIFIER_TYPE;
  /** Features per frame (the last axis of the `[B, T, F]` input). */
  featureSize: number;
  /** Number of classes. */
  classes: number;
  /** Class names, one per class (default `["0", "1", …]`). */
  classNames: string[];
  /** Recurrent or mean-pooled summary of the clip (default `bidirectional-gru`). */
  temporal: VideoClassifierTemporal;
  /** GRU units per direction, or the mean-pool baseline's hidden width (default 64). */
  units: number;
  /** Seed of the initial weights (default 0). */
  seed: number;
};

/** Options of a new {@link VideoClassifier}: `featureSize` and `classes` are required, the rest have defaults. */
export type VideoClassifierOptions = Partial<Omit<VideoClassifierConfig, 'featureSize' | 'classes'>> &
  Pick<VideoClassifierConfig, 'featureSize' | 'classes'>;

/** Upper bounds a config read from a file is checked against before anything is allocated. */
export type VideoClassifierLimits = {
  /** Most features per frame (default 65,536). */
  maxFeatureSize: number;
  /** Most classes (default 65,536). */
  maxClasses: number;
  /** Most units (default 16,384). */
  maxUnits: number;
};

/** Default {@link VideoClassifierLimits}. */
export const DEFAULT_VIDEO_CLASSIFIER_LIMITS: Readonly<VideoClassifierLimits> = Object.freeze({
  maxFeatureSize: 65_536,
  maxClasses: 65_536,
  maxUnits: 16_384,
});

const TEMPORAL: readonly VideoClassifierTemporal[] = ['bidirectional-gru', 'mean-pool'];
const KNOWN_FIELDS = new Set(['type', 'featureSize', 'classes', 'classNames', 'temporal', 'units', 'seed']);

/** Fills defaults and checks every field (a ConfigError names the first bad one). */
export function resolveVideoClassifierConfig(
  options: VideoClassifierOptions,
  limits: Partial<VideoClassifierLimits> = {},
): VideoClassifierConfig {
  const max = { ...DEFAULT_VIDEO_CLASSIFIER_LIMITS, ...definedOnly(limits) };
  checkConfigObject(options);
  checkConfigFields(options, KNOWN_FIELDS, VIDEO_CLASSIFIER_TYPE);
  const o = definedOnly(options) as VideoClassifierOptions;
  assertPositiveInteger('featureSize', o.featureSize);
  assertPositiveInteger('classes', o.classes);
  atMost(o.featureSize, max.maxFeatureSize, 'featureSize');
  atMost(o.classes, max.maxClasses, 'classes');
  if (o.classes < 2) throw new ConfigError('classes', `must be at least 2, got ${o.classes}`);
  const units = o.units ?? 64;
  assertPositiveInteger('units', units);
  atMost(units, max.maxUnits, 'units');
  const temporal = o.temporal ?? 'bidirectional-gru';
  if (!TEMPORAL.includes(temporal)) {
    throw new ConfigError('temporal', `must be one of ${TEMPORAL.join(', ')}, got ${describeValue(temporal)}`);
  }
  const classNames = o.classNames ?? Array.from({ length: o.classes }, (_, i) => String(i));
  if (
    !Array.isArray(classNames) ||
    classNames.length !== o.classes ||
    !classNames.every((n) => typeof n === 'string')
  ) {
    throw new ConfigError('classNames', `must be ${o.classes} strings, got ${describeValue(classNames)}`);
  }
  const seed = o.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) {
    throw new ConfigError('seed', `must be a non-negative integer, got ${describeValue(seed)}`);
  }
  return {
    type: VIDEO_CLASSIFIER_TYPE,
    featureSize: o.featureSize,
    classes: o.classes,
    classNames: [...classNames],
    temporal,
    units,
    seed,
  };
}

/** The names and shapes of every weight of a classifier (resolved config), by the names of its `variables`. */
export function videoClassifierWeightShapes(c: VideoClassifierConfig): Record<string, number[]> {
  const H = c.units;
  const F = c.featureSize;
  if (c.temporal === 'mean-pool') {
    return {
      'pool/kernel': [F, H],
      'pool/bias': [H],
      'head/kernel': [H, c.classes],
      'head/bias': [c.classes],
    };
  }
  const out: Record<string, number[]> = {};
  for (const direction of ['forward', 'backward']) {
    out[`${direction}/kernel`] = [F, 3 * H];
    out[`${direction}/recurrentKernel`] = [H, 3 * H];
    out[`${direction}/bias`] = [3 * H];
    out[`${direction}/recurrentBias`] = [3 * H];
  }
  out['head/kernel'] = [2 * H, c.classes];
  out['head/bias'] = [c.classes];
  return out;
}
