import { type JsonObject, Rng } from '@seqgen/core';
import type { ForecastBatch } from './forecast-batch.js';

/** Every direction of one-pixel steps, as `[dx, dy]`. */
export const EIGHT_DIRECTIONS: readonly (readonly [number, number])[] = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [1, 1],
  [1, -1],
  [-1, 1],
  [-1, -1],
];

/**
 * Test data: a 2×2 white block on a black `size`×`size` canvas moving one
 * pixel per frame in one of the 8 directions, bouncing off the edges. Given
 * two frames the rest of the sequence is determined, so a forecaster can
 * learn it exactly; copying the last frame cannot.
 */
export class MovingSquare {
  private readonly rng: Rng;

  constructor(
    seed: number,
    private readonly batchSize: number,
    private readonly frames: number,
    private readonly size = 8,
    private readonly velocities: readonly (readonly [number, number])[] = EIGHT_DIRECTIONS,
  ) {
    this.rng = new Rng(seed);
  }

  next(): ForecastBatch {
    const { batchSize: B, frames: T, size: S } = this;
    const data = new Float32Array(B * T * S * S);
    for (let b = 0; b < B; b++) {
      let x = this.rng.int(S - 1);
      let y = this.rng.int(S - 1);
      let [dx, dy] = this.velocities[this.rng.int(this.velocities.length)] as readonly [number, number];
      for (let t = 0; t < T; t++) {
        const base = (b * T + t) * S * S;
        for (const [oy, ox] of [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ] as const) {
          data[base + (y + oy) * S + x + ox] = 1;
        }
        if (x + dx < 0 || x + dx > S - 2) dx = -dx;
        if (y + dy < 0 || y + dy > S - 2) dy = -dy;
        x += dx;
        y += dy;
      }
    }
    return { shape: [B, T, S, S, 1], data };
  }

  getState(): JsonObject {
    return { rng: [...this.rng.getState()] };
  }

  setState(state: JsonObject): void {
    this.rng.setState(state.rng as unknown as [number, number, number, number]);
  }
}
