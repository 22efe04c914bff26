import { assertFiniteNumber, assertInRange, assertOneOf, ConfigError } from '@seqgen/core';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import type { Optimizer } from './optimizer.js';
import { RmsProp } from './rmsprop.js';
import { Sgd } from './sgd.js';

/** Plain-JSON optimizer choice; `learningRate` is the base rate the schedule scales. */
export type OptimizerConfig = AdamConfig | AdamWConfig | RmsPropConfig | SgdConfig;

/** {@link OptimizerConfig} for Adam (Kingma & Ba), with bias-corrected moments. */
export type AdamConfig = {
  /** Selects Adam. */
  type: 'adam';
  /** Base learning rate, ≥ 0, that the schedule, the non-finite guard and `learningRateGroups` scale (e.g. 1e-3). */
  learningRate: number;
  /** Decay of the first-moment (mean gradient) average, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment (squared gradient) average, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to √v̂ in the denominator for numerical stability, ≥ 0 (default 1e-8). */
  epsilon?: number;
};

/** {@link OptimizerConfig} for AdamW: Adam with weight decay decoupled from the gradient (Loshchilov & Hutter). */
export type AdamWConfig = {
  /** Selects AdamW. */
  type: 'adamw';
  /** Base learning rate, ≥ 0, that the schedule, the non-finite guard and `learningRateGroups` scale (e.g. 1e-3). */
  learningRate: number;
  /** Decay of the first-moment (mean gradient) average, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment (squared gradient) average, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to √v̂ in the denominator for numerical stability, ≥ 0 (default 1e-8). */
  epsilon?: number;
  /**
   * Decoupled weight decay, ≥ 0 (default 0.01): each step multiplies matrix parameters (rank ≥ 2; not biases or
   * norms) by `1 - lr·weightDecay` before Adam's update.
   */
  weightDecay?: number;
};

/** {@link OptimizerConfig} for RMSprop. */
export type RmsPropConfig = {
  /** Selects RMSprop. */
  type: 'rmsprop';
  /** Base learning rate, ≥ 0, that the schedule, the non-finite guard and `learningRateGroups` scale. */
  learningRate: number;
  /** Decay of the running average of squared gradients, in [0, 1) (default 0.9). */
  rho?: number;
  /** Momentum applied to the scaled step, in [0, 1) (default 0: none). */
  momentum?: number;
  /** Added to the root mean square in the denominator for numerical stability, ≥ 0 (default 1e-8). */
  epsilon?: number;
};

/** {@link OptimizerConfig} for stochastic gradient descent, optionally with (Nesterov) momentum. */
export type SgdConfig = {
  /** Selects SGD. */
  type: 'sgd';
  /** Base learning rate, ≥ 0, that the schedule, the non-finite guard and `learningRateGroups` scale. */
  learningRate: number;
  /** Momentum factor of the velocity buffer, in [0, 1) (default 0: plain SGD). */
  momentum?: number;
  /** Use Nesterov momentum: step along `grad + momentum·velocity` (default false; only matters with `momentum` > 0). */
  nesterov?: boolean;
};

/** The optimizer `type`s {@link createOptimizer} accepts. */
export const OPTIMIZER_TYPES = ['adam', 'adamw', 'rmsprop', 'sgd'] as const;

/** Checks an optimizer config up front, naming the bad field. */
export function validateOptimizerConfig(config: OptimizerConfig, field = 'optimizer'): void {
  if (!config || typeof config !== 'object') throw new ConfigError(field, 'must be an object with a "type"');
  assertOneOf(`${field}.type`, config.type, OPTIMIZER_TYPES);
  const nonNegative = (key: string, v: unknown) => {
    assertFiniteNumber(`${field}.${key}`, v);
    if (v < 0) throw new ConfigError(`${field}.${key}`, `must be ≥ 0, got ${v}`);
  };
  nonNegative('learningRate', config.learningRate);
  const c = config as unknown as Record<string, number | undefined>;
  for (const key of ['beta1', 'beta2', 'rho', 'momentum']) {
    if (c[key] !== undefined) assertInRange(`${field}.${key}`, c[key], 0, 1, { openMax: true });
  }
  for (const key of ['epsilon', 'weightDecay']) if (c[key] !== undefined) nonNegative(key, c[key]);
}

/** Builds the optimizer an {@link OptimizerConfig} names, after checking its fields. */
export function createOptimizer(config: OptimizerConfig): Optimizer {
  validateOptimizerConfig(config);
  switch (config.type) {
    case 'adam':
      return new Adam(config);
    case 'adamw':
      return new AdamW(config);
    case 'rmsprop':
      return new RmsProp(config);
    case 'sgd':
      return new Sgd(config);
  }
}
