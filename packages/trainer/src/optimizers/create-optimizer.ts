import { ConfigError } from '@seqgen/core';
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
  if (!OPTIMIZER_TYPES.includes(config.type)) {
    throw new ConfigError(
      `${field}.type`,
      `unknown optimizer ${JSON.stringify(config.type)}; expected one of ${OPTIMIZER_TYPES.join(', ')}`,
    );
  }
  const lr = config.learningRate;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
    throw new ConfigError(`${field}.learningRate`, `must be a finite number ≥ 0, got ${lr}`);
  }
  const unit = (key: string, v: number | undefined) => {
    if (v !== undefined && !(v >= 0 && v < 1)) throw new ConfigError(`${field}.${key}`, `must be in [0, 1), got ${v}`);
  };
  const c = config as unknown as Record<string, number | undefined>;
  for (const key of ['beta1', 'beta2', 'rho', 'momentum']) unit(key, c[key]);
  for (const key of ['epsilon', 'weightDecay']) {
    const v = c[key];
    if (v !== undefined && !(v >= 0 && Number.isFinite(v)))
      throw new ConfigError(`${field}.${key}`, `must be ≥ 0, got ${v}`);
  }
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
