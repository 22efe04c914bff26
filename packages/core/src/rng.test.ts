import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('reproduces the same stream from the same seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 100 }, () => a.uint32());
    const sb = Array.from({ length: 100 }, () => b.uint32());
    const sc = Array.from({ length: 100 }, () => c.uint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    expect(new Set(sa).size).toBe(100);
  });

  it('resumes exactly from a saved state', () => {
    const a = new Rng(7);
    for (let i = 0; i < 1000; i++) a.float();
    const state = a.getState();
    const expected = Array.from({ length: 50 }, () => a.normal());
    const b = new Rng(0);
    b.setState(state);
    expect(Array.from({ length: 50 }, () => b.normal())).toEqual(expected);
    expect(new Rng(state).float()).toBe(new Rng(state).float());
  });

  it('draws uniform floats in [0,1) with the right mean and variance', () => {
    const rng = new Rng(1);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.float();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
      sq += x * x;
    }
    const mean = sum / n;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(sq / n - mean * mean).toBeCloseTo(1 / 12, 2);
  });

  it('draws normals with mean 0 and std 1', () => {
    const rng = new Rng(2);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      sum += x;
      sq += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.sqrt(sq / n)).toBeCloseTo(1, 1);
  });

  it('draws integers without bias and categories in proportion to weights', () => {
    const rng = new Rng(3);
    const counts = new Array(3).fill(0);
    for (let i = 0; i < 30_000; i++) counts[rng.int(3)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    const cat = new Array<number>(4).fill(0);
    for (let i = 0; i < 40_000; i++) {
      const k = rng.categorical([1, 0, 3, 0]);
      cat[k] = (cat[k] ?? 0) + 1;
    }
    expect(cat[1]).toBe(0);
    expect(cat[3]).toBe(0);
    expect((cat[2] as number) / 40_000).toBeCloseTo(0.75, 1);
  });

  it('shuffles into a permutation and forks independent streams', () => {
    const rng = new Rng(4);
    const items = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = rng.shuffle([...items]);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    const f1 = new Rng(5).fork();
    const f2 = new Rng(5).fork();
    expect(f1.uint32()).toBe(f2.uint32());
  });

  it('rejects bad seeds, states and weights with typed errors', () => {
    expect(() => new Rng(Number.NaN)).toThrow(ConfigError);
    expect(() => new Rng([0, 0, 0, 0])).toThrow(/not all zero/);
    expect(() => new Rng(1).setState([1, 2, 3] as unknown as [number, number, number, number])).toThrow(ConfigError);
    expect(() => new Rng(1).categorical([0, 0])).toThrow(/must not all be zero/);
    expect(() => new Rng(1).categorical([1, -1])).toThrow(/entry 1/);
    expect(() => new Rng(1).int(0)).toThrow(ConfigError);
  });
});
