import { ConfigError } from './errors.js';
import { assertPositiveInteger } from './validate.js';

/** Serializable state of an {@link Rng}: four 32-bit words. */
export type RngState = readonly [number, number, number, number];

/**
 * Seeded pseudo-random number generator (xoshiro128**), used by every
 * initializer and sampler so that a seed reproduces a run. Its state is four
 * integers that checkpoints save and restore, and it draws in plain
 * JavaScript, so a seed gives the same numbers on every backend.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number | RngState = 0) {
    if (typeof seed === 'number') {
      if (!Number.isFinite(seed)) throw new ConfigError('seed', `must be a finite number, got ${seed}`);
      // splitmix32 expands one seed into four well-mixed, non-zero words.
      let x = (Math.trunc(seed) ^ Math.trunc(seed / 2 ** 32)) >>> 0;
      const next = () => {
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
        return (z ^ (z >>> 16)) >>> 0;
      };
      this.s0 = next();
      this.s1 = next();
      this.s2 = next();
      this.s3 = next();
    } else {
      Rng.checkState(seed);
      [this.s0, this.s1, this.s2, this.s3] = seed.map((v) => v >>> 0) as [number, number, number, number];
    }
  }

  private static checkState(state: RngState): void {
    if (
      !Array.isArray(state) ||
      state.length !== 4 ||
      !state.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff) ||
      state.every((v) => v === 0)
    ) {
      throw new ConfigError('rng state', 'must be four unsigned 32-bit integers, not all zero');
    }
  }

  /** Next unsigned 32-bit integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.uint32() >>> 5;
    const lo = this.uint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in [min, max). */
  uniform(min = 0, max = 1): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    assertPositiveInteger('n', n);
    // Rejection sampling avoids modulo bias.
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x = this.uint32();
    while (x >= limit) x = this.uint32();
    return x % n;
  }

  /** Standard normal draw (Box–Muller; one value per call keeps the state a plain 4-tuple). */
  normal(mean = 0, std = 1): number {
    let u = this.float();
    while (u === 0) u = this.float();
    const v = this.float();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Index drawn with probability proportional to `weights[i]` (non-negative, not all zero). */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (!(w >= 0) || w === Number.POSITIVE_INFINITY) {
        throw new ConfigError('weights', `entry ${i} must be finite and non-negative, got ${w}`);
      }
      total += w;
    }
    if (total <= 0) throw new ConfigError('weights', 'must not all be zero');
    let r = this.float() * total;
    let last = -1;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (w > 0) {
        last = i;
        r -= w;
        if (r < 0) return i;
      }
    }
    return last; // rounding left r marginally positive: the last non-zero entry.
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }

  /** An independent generator derived from this one (advances this one by two draws). */
  fork(): Rng {
    return new Rng(this.uint32() * 2 ** 21 + (this.uint32() >>> 11));
  }

  /** The generator's four 32-bit words of state, to save and later restore with `setState`. */
  getState(): RngState {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** Restores a state from `getState`, so the sequence continues exactly where it was; throws on an invalid state. */
  setState(state: RngState): void {
    Rng.checkState(state);
    [this.s0, this.s1, this.s2, this.s3] = state.map((v) => v >>> 0) as [number, number, number, number];
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
