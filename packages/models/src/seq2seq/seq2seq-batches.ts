import { assertPositiveInteger, ConfigError, type JsonObject, Rng, ShapeError } from '@seqgen/core';

/**
 * A padded batch of translation pairs in host memory, row-major (the model
 * makes its tensors in `loss` and frees them after, as the language model does
 * with its batches): sources `[B, S]`, decoder inputs `[BOS, y…]` and outputs
 * `[y…, EOS]` `[B, T]`, and the target mask.
 */
export interface Seq2SeqBatch {
  /** Pairs in the batch (B). */
  batchSize: number;
  /** Source positions per row (S): the longest source in the batch. */
  sourceLength: number;
  /** Target positions per row (T): the longest target in the batch plus one (BOS or EOS). */
  targetLength: number;
  /** Source ids `[B, S]`, `padId` after each row's length. */
  sources: Int32Array;
  /** Real source tokens per row (each ≥ 1). */
  sourceLengths: number[];
  /** Decoder inputs `[B, T]`: BOS, then the target tokens. */
  targetInputs: Int32Array;
  /** Decoder targets `[B, T]`: the target tokens, then EOS. */
  targetOutputs: Int32Array;
  /** `[B, T]`, 1 where a target counts, 0 on padding. */
  targetMask: Float32Array;
}

/** One translation pair as token ids (no BOS/EOS: the batches add them). */
export interface Seq2SeqPair {
  /** Source-language token ids (at least one). */
  source: readonly number[];
  /** Target-language token ids, without BOS or EOS. */
  target: readonly number[];
}

/** How {@link seq2seqBatches} groups and pads pairs. */
export interface Seq2SeqBatchOptions {
  /** Pairs per batch (the last batch may hold fewer). */
  batchSize: number;
  /** Put pairs of similar source length together, so padding wastes little (default true). */
  bucketByLength?: boolean;
  /** Shuffle pairs (within buckets) and the order of batches (default false). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0). */
  seed?: number;
  /** Token filling sources and targets past their length. */
  padId: number;
  /** Token prepended to every decoder input. */
  bosId: number;
  /** Token appended to every decoder target. */
  eosId: number;
}

/**
 * Groups pairs into padded batches: sorted by source length (then target
 * length) into buckets when `bucketByLength`, optionally shuffled with a seed.
 * Every source must have at least one token. Pair order and batch order
 * follow the seed, so the same call gives the same batches.
 */
export function seq2seqBatches(pairs: readonly Seq2SeqPair[], options: Seq2SeqBatchOptions): Seq2SeqBatch[] {
  if (!Array.isArray(pairs) || pairs.length === 0) {
    throw new ShapeError(
      'pairs',
      'a non-empty array of { source, target }',
      Array.isArray(pairs) ? '[]' : typeof pairs,
    );
  }
  assertPositiveInteger('batchSize', options.batchSize);
  for (const field of ['padId', 'bosId', 'eosId'] as const) {
    const id = options[field];
    if (!Number.isInteger(id) || id < 0) throw new ConfigError(field, `must be a token id (integer ≥ 0), got ${id}`);
  }
  pairs.forEach((p, i) => {
    if (!Array.isArray(p?.source) || p.source.length === 0) {
      throw new ShapeError(`pairs[${i}].source`, 'a non-empty array of token ids', describe(p?.source));
    }
    if (!Array.isArray(p.target))
      throw new ShapeError(`pairs[${i}].target`, 'an array of token ids', describe(p.target));
    for (const [side, ids] of [
      ['source', p.source],
      ['target', p.target],
    ] as const) {
      const bad = ids.findIndex((id: number) => !Number.isInteger(id) || id < 0);
      if (bad >= 0) throw new ShapeError(`pairs[${i}].${side}[${bad}]`, 'a token id (integer ≥ 0)', String(ids[bad]));
    }
  });
  const rng = options.shuffle ? new Rng(options.seed ?? 0) : undefined;
  const order = pairs.map((_, i) => i);
  if (rng) rng.shuffle(order);
  if (options.bucketByLength ?? true) {
    // Stable sort after the shuffle: equal lengths stay in shuffled order.
    order.sort((a, b) => lengthKey(pairs[a] as Seq2SeqPair) - lengthKey(pairs[b] as Seq2SeqPair));
  }
  const groups: number[][] = [];
  for (let i = 0; i < order.length; i += options.batchSize) groups.push(order.slice(i, i + options.batchSize));
  if (rng) rng.shuffle(groups);
  return groups.map((group) =>
    padPairs(
      group.map((i) => pairs[i] as Seq2SeqPair),
      options,
    ),
  );
}

/**
 * A resumable, endless supply of the given batches for `@seqgen/trainer`'s
 * `Trainer.fit` (its `DataSource`): epoch after epoch, in order or reshuffled
 * each epoch with a seed; `getState`/`setState` capture the position, so a
 * resumed run sees the batches the interrupted one would have.
 */
export class Seq2SeqBatchSource {
  private readonly rng: Rng;
  private order: number[];
  private cursor = 0;
  private epoch = 0;

  constructor(
    private readonly batches: readonly Seq2SeqBatch[],
    private readonly options: { shuffle?: boolean; seed?: number } = {},
  ) {
    if (!Array.isArray(batches) || batches.length === 0) {
      throw new ShapeError('batches', 'a non-empty array of Seq2SeqBatch', String(batches?.length));
    }
    this.rng = new Rng(options.seed ?? 0);
    this.order = this.newOrder();
  }

  /** The next batch (a new epoch starts after the last). */
  next(): Seq2SeqBatch {
    if (this.cursor >= this.order.length) {
      this.epoch++;
      this.cursor = 0;
      this.order = this.newOrder();
    }
    return this.batches[this.order[this.cursor++] as number] as Seq2SeqBatch;
  }

  /** The position in the epoch, epoch count, batch order and shuffle state, to save in a trainer checkpoint. */
  getState(): JsonObject {
    return { cursor: this.cursor, epoch: this.epoch, order: [...this.order], rng: [...this.rng.getState()] };
  }

  /** Resumes from a `getState` result, so batches continue exactly where they were. */
  setState(state: JsonObject): void {
    const order = state.order as number[];
    if (!Array.isArray(order) || order.length !== this.batches.length) {
      throw new ConfigError('state.order', `must list ${this.batches.length} batch indices`);
    }
    this.order = [...order];
    this.cursor = state.cursor as number;
    this.epoch = state.epoch as number;
    this.rng.setState(state.rng as unknown as [number, number, number, number]);
  }

  private newOrder(): number[] {
    const order = this.batches.map((_, i) => i);
    if (this.options.shuffle) this.rng.shuffle(order);
    return order;
  }
}

function lengthKey(p: Seq2SeqPair): number {
  return p.source.length * 65_536 + p.target.length;
}

function padPairs(pairs: readonly Seq2SeqPair[], o: Seq2SeqBatchOptions): Seq2SeqBatch {
  const B = pairs.length;
  const S = Math.max(...pairs.map((p) => p.source.length));
  const T = Math.max(...pairs.map((p) => p.target.length)) + 1;
  const sources = new Int32Array(B * S).fill(o.padId);
  const targetInputs = new Int32Array(B * T).fill(o.padId);
  const targetOutputs = new Int32Array(B * T).fill(o.padId);
  const targetMask = new Float32Array(B * T);
  pairs.forEach((p, b) => {
    sources.set(p.source, b * S);
    targetInputs[b * T] = o.bosId;
    targetInputs.set(p.target, b * T + 1);
    targetOutputs.set(p.target, b * T);
    targetOutputs[b * T + p.target.length] = o.eosId;
    targetMask.fill(1, b * T, b * T + p.target.length + 1);
  });
  return {
    batchSize: B,
    sourceLength: S,
    targetLength: T,
    sources,
    sourceLengths: pairs.map((p) => p.source.length),
    targetInputs,
    targetOutputs,
    targetMask,
  };
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an empty array' : typeof v;
}
