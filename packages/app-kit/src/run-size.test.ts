import { initBackend } from '@seqgen/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sizeRun } from './run-size.js';
import { TinyData, TinyModel } from './test-fixtures/tiny-model.js';
import { TimeBudget } from './time-budget.js';

let model: TinyModel;
beforeAll(async () => {
  await initBackend();
  model = new TinyModel();
});
afterAll(() => model.dispose());

describe('sizeRun', () => {
  const config = { optimizer: { type: 'sgd' as const, learningRate: 0.1 }, maxSteps: 100 };
  const lines: string[] = [];
  const output = { info: (line: string) => void lines.push(line) };
  // A function: the model exists only once beforeAll has run.
  const base = () => ({ model, config, steps: 40, output });

  it('without a budget runs --steps and validates five times (or as often as asked)', async () => {
    const data = new TinyData();
    expect(await sizeRun({ ...base(), data, budget: new TimeBudget(undefined) })).toEqual({
      maxSteps: 40,
      validateEvery: 8,
    });
    const asked = await sizeRun({ ...base(), data, budget: new TimeBudget(undefined), validations: 10 });
    expect(asked).toEqual({ maxSteps: 40, validateEvery: 4 });
    const given = await sizeRun({ ...base(), data, budget: new TimeBudget(undefined), validateEvery: 3 });
    expect(given.validateEvery).toBe(3);
    expect(lines).toEqual([]);
  });

  it('keeps a resumed run as recorded, without calibrating', async () => {
    const data = new TinyData();
    const resumed = { maxSteps: 17, validateEvery: 5 };
    expect(await sizeRun({ ...base(), data, budget: new TimeBudget(10), resumed })).toEqual(resumed);
    expect(data.i).toBe(0);
  });

  it('under a budget times a few steps, says so, and caps at --steps when asked', async () => {
    const data = new TinyData();
    const sized = await sizeRun({ ...base(), data, budget: new TimeBudget(10, 'cpu') });
    expect(sized.maxSteps).toBeGreaterThan(40);
    expect(data.i).toBe(0); // the calibration put the cursor back
    expect(lines.at(-1)).toMatch(/^budget 10 min \(cpu clock\): ~\d+\.\d\d s per step → up to \d+ steps$/);
    const capped = await sizeRun({ ...base(), data, budget: new TimeBudget(10, 'cpu'), capAtSteps: true });
    expect(capped).toEqual({ maxSteps: 40, validateEvery: 8 });
  });
});
