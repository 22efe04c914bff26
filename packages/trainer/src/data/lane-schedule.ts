import { ConfigError, type JsonObject, Rng, type RngState } from '@seqgen/core';

/** Where a {@link LaneSchedule} stands for the batch it hands out: epoch, batch in the epoch, offset, lane length. */
export type LanePosition = { epoch: number; index: number; offset: number; laneLength: number };

/**
 * The truncated-BPTT schedule over one token stream of `total` tokens, shared
 * by the in-memory and the on-disk stream batchers: the stream is cut into
 * `batchSize` contiguous lanes, batch k holds the k-th `seqLength` chunk of
 * every lane, and each epoch starts at an offset in [0, seqLength) drawn from
 * the schedule's own seeded RNG (0 when `randomOffset` is off).
 */
export class LaneSchedule {
  private readonly rng: Rng;
  private epoch = 0;
  private index = 0;
  private offset: number;

  /** @throws ConfigError when even the worst-case offset leaves a lane shorter than one chunk; `what` names the tokens. */
  constructor(
    private readonly total: number,
    private readonly batchSize: number,
    private readonly seqLength: number,
    private readonly randomOffset: boolean,
    seed: number,
    what = 'tokens',
  ) {
    const worstOffset = randomOffset ? seqLength - 1 : 0;
    if (Math.floor((total - 1 - worstOffset) / batchSize) < seqLength) {
      throw new ConfigError(
        'batchSize',
        `batch larger than data: ${batchSize} lanes × ${seqLength} steps need more than ${total} ${what}`,
      );
    }
    this.rng = new Rng(seed);
    this.offset = this.drawOffset();
  }

  private drawOffset(): number {
    return this.randomOffset ? this.rng.int(this.seqLength) : 0;
  }

  private laneLength(offset: number): number {
    return Math.floor((this.total - 1 - offset) / this.batchSize);
  }

  /** Batches in the current epoch (depends on its offset). */
  get batchesPerEpoch(): number {
    return Math.floor(this.laneLength(this.offset) / this.seqLength);
  }

  /** The position of the next batch (a new epoch starts after the last one), then moves past it. */
  next(): LanePosition {
    if (this.index >= this.batchesPerEpoch) {
      this.epoch++;
      this.index = 0;
      this.offset = this.drawOffset();
    }
    const position = {
      epoch: this.epoch,
      index: this.index,
      offset: this.offset,
      laneLength: this.laneLength(this.offset),
    };
    this.index++;
    return position;
  }

  /** Epoch, batch index, epoch offset and RNG state, as trainer checkpoints save them. */
  getState(): JsonObject {
    return { epoch: this.epoch, index: this.index, offset: this.offset, rng: [...this.rng.getState()] };
  }

  /**
   * Restores a {@link getState} result. Anything else (negative or fractional
   * counters, an offset past the sequence length, no RNG state) is a
   * `ConfigError` naming the `batcher`.
   */
  setState(state: JsonObject, batcher: string): void {
    const { epoch, index, offset, rng } = state as { epoch: number; index: number; offset: number; rng: unknown };
    if (
      ![epoch, index, offset].every((v) => Number.isInteger(v) && v >= 0) ||
      !(offset < this.seqLength) ||
      !Array.isArray(rng)
    ) {
      throw new ConfigError('data state', `is not a ${batcher} cursor: ${JSON.stringify(state)}`);
    }
    this.rng.setState(rng as unknown as RngState);
    this.epoch = epoch;
    this.index = index;
    this.offset = offset;
  }
}
