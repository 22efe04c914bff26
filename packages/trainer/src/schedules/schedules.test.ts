import { ConfigError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { createSchedule } from './create-schedule.js';
import { teacherForcingRatio, validateTeacherForcing } from './teacher-forcing.js';

describe('learning-rate schedules', () => {
  it('constant', () => {
    const s = createSchedule({ type: 'constant' });
    expect([0, 10, 1e6].map((t) => s.factor(t))).toEqual([1, 1, 1]);
  });

  it('warmup + cosine: linear ramp, half cosine, floor', () => {
    const s = createSchedule({ type: 'warmup-cosine', warmupSteps: 4, totalSteps: 14, minFactor: 0.1 });
    expect([0, 1, 3].map((t) => s.factor(t))).toEqual([0.25, 0.5, 1]);
    expect(s.factor(4)).toBeCloseTo(1, 12);
    expect(s.factor(9)).toBeCloseTo(0.1 + 0.9 * 0.5, 12); // halfway down
    expect(s.factor(14)).toBeCloseTo(0.1, 12);
    expect(s.factor(100)).toBeCloseTo(0.1, 12);
  });

  it('step decay', () => {
    const s = createSchedule({ type: 'step-decay', stepSize: 10, gamma: 0.1 });
    expect([0, 9, 10, 25].map((t) => s.factor(t))).toEqual([1, 1, 0.1, 0.1 ** 2]);
  });

  it('reduce on plateau: waits `patience` observations, then reduces; state round-trips', () => {
    const s = createSchedule({ type: 'reduce-on-plateau', factor: 0.5, patience: 1 });
    const seen: number[] = [];
    for (const v of [3, 2.5, 2.6, 2.7, 2.4, 2.45, 2.5]) {
      s.observe?.(v);
      seen.push(s.factor(0));
    }
    expect(seen).toEqual([1, 1, 1, 0.5, 0.5, 0.5, 0.25]);
    const copy = createSchedule({ type: 'reduce-on-plateau', factor: 0.5, patience: 1 });
    copy.setState(JSON.parse(JSON.stringify(s.getState())));
    for (const v of [2.5, 2.3]) {
      s.observe?.(v);
      copy.observe?.(v);
    }
    expect(copy.getState()).toEqual(s.getState());
  });

  it('refuses bad schedule configs naming the field', () => {
    const field = (c: unknown) => {
      try {
        createSchedule(c as never);
      } catch (e) {
        return (e as ConfigError).field;
      }
    };
    expect(field({ type: 'warmup-cosine', totalSteps: 0 })).toBe('schedule.totalSteps');
    expect(field({ type: 'step-decay', stepSize: 2.5 })).toBe('schedule.stepSize');
    expect(field({ type: 'reduce-on-plateau', factor: 2 })).toBe('schedule.factor');
    expect(field({ type: 'nope' })).toBe('schedule.type');
  });
});

describe('teacher forcing (scheduled sampling)', () => {
  it('follows its schedule', () => {
    expect(teacherForcingRatio({ type: 'constant', ratio: 0.7 }, 99)).toBe(0.7);
    const lin = { type: 'linear', start: 1, end: 0.2, steps: 8 } as const;
    expect([0, 4, 8, 20].map((t) => teacherForcingRatio(lin, t))).toEqual(
      [1, 0.6, 0.2, 0.2].map((v) => expect.closeTo(v, 12)),
    );
    expect(teacherForcingRatio({ type: 'exponential', k: 0.9 }, 2)).toBeCloseTo(0.81, 12);
    const sig = { type: 'inverse-sigmoid', k: 10 } as const;
    expect(teacherForcingRatio(sig, 0)).toBeCloseTo(10 / 11, 12);
    expect(teacherForcingRatio(sig, 100)).toBeLessThan(0.01);
  });

  it('validates', () => {
    expect(() => validateTeacherForcing({ type: 'constant', ratio: 1.5 })).toThrow(ConfigError);
    expect(() => validateTeacherForcing({ type: 'linear', end: 0, steps: 0 })).toThrow(/teacherForcing.steps/);
  });
});
