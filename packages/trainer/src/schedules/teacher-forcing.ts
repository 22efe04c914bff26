import { assertFiniteNumber, assertInRange, assertPositiveInteger, ConfigError } from '@seqgen/core';

/**
 * Scheduled sampling (Bengio et al., 2015): the probability of feeding the
 * ground-truth previous token to a decoder, lowered over training so the model
 * learns to continue from its own predictions as it must when generating.
 */
export type TeacherForcingConfig =
  | ConstantTeacherForcing
  | LinearTeacherForcing
  | ExponentialTeacherForcing
  | InverseSigmoidTeacherForcing;

/** {@link TeacherForcingConfig} with the same ratio at every step. */
export type ConstantTeacherForcing = {
  /** Selects a constant ratio. */
  type: 'constant';
  /** Probability in [0, 1] of feeding the ground-truth previous token (1: always, i.e. full teacher forcing). */
  ratio: number;
};

/** {@link TeacherForcingConfig} that moves linearly from `start` to `end` over `steps` steps, then stays at `end`. */
export type LinearTeacherForcing = {
  /** Selects a linear decay. */
  type: 'linear';
  /** Ratio at step 0, in [0, 1] (default 1). */
  start?: number;
  /** Ratio from step `steps` on, in [0, 1]. */
  end: number;
  /** Training steps (a positive integer) over which the ratio goes from `start` to `end`. */
  steps: number;
};

/** {@link TeacherForcingConfig} with ratio `k^step`. */
export type ExponentialTeacherForcing = {
  /** Selects an exponential decay. */
  type: 'exponential';
  /** Per-step factor in [0, 1]: the ratio at step `i` is `k^i` (e.g. 0.9999). */
  k: number;
};

/** {@link TeacherForcingConfig} with ratio `k / (k + exp(step / k))`, which stays near 1 and then falls off. */
export type InverseSigmoidTeacherForcing = {
  /** Selects an inverse-sigmoid decay. */
  type: 'inverse-sigmoid';
  /** Scale, ≥ 1, in steps: the larger `k`, the later and slower the ratio falls. */
  k: number;
};

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
