import { ConfigError, type JsonObject, Rng, ShapeError } from '@seqgen/core';

/** One training example: symbol ids and the mel frames they are spoken as. */
export type TacotronUtterance = {
  /** Symbol ids (characters or phonemes), at least one. */
  ids: readonly number[];
  /** Mel frames, each `melBins` values, at least one. */
  mel: readonly ArrayLike<number>[];
};

/**
 * A padded batch on the host (the model makes and frees its tensors in
 * `loss`): symbols `[B, S]` and frames `[B, T, melBins]`, row-major, with
 * `frameLength` a multiple of the reduction factor.
 */
export type TacotronBatch = {
  /** Rows. */
  batchSize: number;
  /** Padded symbol length S. */
  textLength: number;
  /** Padded frame length T, a multiple of the model's reduction factor. */
  frameLength: number;
  /** `[B, S]` symbol ids, padded with the pad id. */
  ids: Int32Array;
  /** Real symbols per row. */
  textLengths: number[];
  /** `[B, T, melBins]` frames, zero-padded. */
  mels: Float32Array;
  /** Real frames per row. */
  frameLengths: number[];
};

/** Options of {@link tacotronBatches}. */
export type TacotronBatchOptions = {
  /** Rows per batch. */
  batchSize: number;
  /** The model's reduction factor: frame lengths are padded to a multiple of it. */
  reduction: number;
  /** Values per mel frame. */
  melBins: number;
  /** Symbol id of padding (default 0). */
  padId?: number;
  /** Sort by length first so that rows of a batch need little padding (default true). */
  bucketByLength?: boolean;
};

/** Pads utterances into batches for `Tacotron.loss`, checking every frame's width. */
export function tacotronBatches(
  utterances: readonly TacotronUtterance[],
  options: TacotronBatchOptions,
): TacotronBatch[] {
  const context = 'tacotronBatches';
  if (!Array.isArray(utterances) || utterances.length === 0) {
    throw new ShapeError('utterances', 'a non-empty array of { ids, mel }', String(utterances?.length), context);
  }
  const { batchSize, reduction, melBins } = options;
  for (const [field, value] of [
    ['batchSize', batchSize],
    ['reduction', reduction],
    ['melBins', melBins],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(field, `must be a positive integer, got ${value}`);
  }
  utterances.forEach((u, i) => {
    if (!Array.isArray(u?.ids) || u.ids.length === 0) {
      throw new ShapeError(`utterances[${i}].ids`, 'a non-empty array of symbol ids', String(u?.ids), context);
    }
    if (!Array.isArray(u.mel) || u.mel.length === 0) {
      throw new ShapeError(`utterances[${i}].mel`, 'a non-empty array of frames', String(u.mel), context);
    }
    u.mel.forEach((frame: ArrayLike<number>, t: number) => {
      if (frame?.length !== melBins) {
        throw new ShapeError(`utterances[${i}].mel[${t}]`, `${melBins} values`, String(frame?.length), context);
      }
    });
  });
  const order = utterances.map((_, i) => i);
  if (options.bucketByLength ?? true) {
    order.sort((a, b) => (utterances[a]?.mel.length as number) - (utterances[b]?.mel.length as number));
  }
  const batches: TacotronBatch[] = [];
  for (let start = 0; start < order.length; start += batchSize) {
    const rows = order.slice(start, start + batchSize).map((i) => utterances[i] as TacotronUtterance);
    const S = Math.max(...rows.map((u) => u.ids.length));
    const T = Math.ceil(Math.max(...rows.map((u) => u.mel.length)) / reduction) * reduction;
    const ids = new Int32Array(rows.length * S).fill(options.padId ?? 0);
    const mels = new Float32Array(rows.length * T * melBins);
    rows.forEach((u, b) => {
      ids.set(u.ids, b * S);
      u.mel.forEach((frame: ArrayLike<number>, t: number) => {
        mels.set(frame, (b * T + t) * melBins);
      });
    });
    batches.push({
      batchSize: rows.length,
      textLength: S,
      frameLength: T,
      ids,
      textLengths: rows.map((u) => u.ids.length),
      mels,
      frameLengths: rows.map((u) => u.mel.length),
    });
  }
  return batches;
}

/**
 * The trainer's resumable `DataSource` over fixed batches: epoch after epoch,
 * reshuffled with a seed when `shuffle` is set; `getState`/`setState` capture
 * the position for exact resume.
 */
export class TacotronBatchSource {
  private readonly rng: Rng;
  private order: number[];
  private cursor = 0;

  constructor(
    private readonly batches: readonly TacotronBatch[],
    private readonly options: { shuffle?: boolean; seed?: number } = {},
  ) {
    if (!Array.isArray(batches) || batches.length === 0) {
      throw new ShapeError(
        'batches',
        'a non-empty array of TacotronBatch',
        String(batches?.length),
        'TacotronBatchSource',
      );
    }
    this.rng = new Rng(options.seed ?? 0);
    this.order = this.newOrder();
  }

  /** The next batch (a new epoch starts after the last). */
  next(): TacotronBatch {
    if (this.cursor >= this.order.length) {
      this.cursor = 0;
      this.order = this.newOrder();
    }
    return this.batches[this.order[this.cursor++] as number] as TacotronBatch;
  }

  /** The cursor, batch order and shuffle state, for a trainer checkpoint. */
  getState(): JsonObject {
    return { cursor: this.cursor, order: [...this.order], rng: [...this.rng.getState()] };
  }

  /** Resumes from a `getState` result. */
  setState(state: JsonObject): void {
    const order = state.order as number[];
    if (!Array.isArray(order) || order.length !== this.batches.length) {
      throw new ConfigError('state.order', `must list ${this.batches.length} batch indices`);
    }
    this.order = [...order];
    this.cursor = state.cursor as number;
    this.rng.setState(state.rng as unknown as [number, number, number, number]);
  }

  private newOrder(): number[] {
    const order = this.batches.map((_, i) => i);
    if (this.options.shuffle) this.rng.shuffle(order);
    return order;
  }
}
