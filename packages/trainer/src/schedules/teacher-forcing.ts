import { assertFiniteNumber, assertInRange, assertPositiveInteger, ConfigError } from '@seqgen/core';

/**
 * Scheduled sampling (Bengio et al., 2015): the probability of feeding the
 * ground-truth previous token to a decoder, lowered over training so the model
 * learns to continue from its own predictions as it must when generating.
 */
export type TeacherForcingConfig =
  | { type: 'constant'; ratio: number }
  | { type: 'linear'; start?: number; end: number; steps: number }
  | { type: 'exponential'; k: number }
  | { type: 'inverse-sigmoid'; k: number };

/** Teacher-forcing ratio at `step`, in [0, 1]. */
export function teacherForcingRatio(config: TeacherForcingConfig, step: number): number {
  switch (config.type) {
    case 'constant':
      return config.ratio;
    case 'linear': {
      const start = config.start ?? 1;
      return start + (config.end - start) * Math.min(1, step / config.steps);
    }
    case 'exponential':
      return config.k ** step;
    case 'inverse-sigmoid':
      return config.k / (config.k + Math.exp(step / config.k));
  }
}

export function validateTeacherForcing(config: TeacherForcingConfig, field = 'teacherForcing'): void {
  const prob = (key: string, v: unknown) => assertInRange(`${field}.${key}`, v, 0, 1);
  switch (config?.type) {
    case 'constant':
      prob('ratio', config.ratio);
      return;
    case 'linear':
      if (config.start !== undefined) prob('start', config.start);
      prob('end', config.end);
      assertPositiveInteger(`${field}.steps`, config.steps);
      return;
    case 'exponential':
      prob('k', config.k);
      return;
    case 'inverse-sigmoid':
      assertFiniteNumber(`${field}.k`, config.k);
      if (config.k < 1) throw new ConfigError(`${field}.k`, `must be ≥ 1, got ${config.k}`);
      return;
    default:
      throw new ConfigError(
        `${field}.type`,
        `unknown teacher-forcing schedule ${JSON.stringify((config as { type?: unknown })?.type)}`,
      );
  }
}
