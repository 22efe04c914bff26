import { assertFiniteNumber, assertInRange, assertOneOf, ConfigError } from '@seqgen/core';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import type { Optimizer } from './optimizer.js';
import { RmsProp } from './rmsprop.js';
import { Sgd } from './sgd.js';

/** Plain-JSON optimizer choice; `learningRate` is the base rate the schedule scales. */
export type OptimizerConfig =
  | { type: 'adam'; learningRate: number; beta1?: number; beta2?: number; epsilon?: number }
  | { type: 'adamw'; learningRate: number; beta1?: number; beta2?: number; epsilon?: number; weightDecay?: number }
  | { type: 'rmsprop'; learningRate: number; rho?: number; momentum?: number; epsilon?: number }
  | { type: 'sgd'; learningRate: number; momentum?: number; nesterov?: boolean };

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
