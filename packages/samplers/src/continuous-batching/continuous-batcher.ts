import { assertNonNegativeInteger, assertPositiveInteger, ConfigError, type SequenceModel } from '@seqgen/core';
import { createDecodeSetup, type DecodeLoopSetup } from '../decode-loop.js';
import { decodingStrategy, type GenerationConfig } from '../generation-config.js';
import { checkPrompt, prepareConfig } from '../generation-setup.js';
import { greedyToken } from '../greedy.js';
import { logSoftmax } from '../logits-math.js';
import { applyLogitsProcessors } from '../logits-processors/logits-processor.js';
import { checkConditionRows, disposeState, readLogitRows, startState } from '../model-state.js';
import { sampleToken } from '../sample.js';
import type { DecodeFn, FinishReason } from '../stopping-criteria.js';
import { TextDeltas } from '../text-deltas.js';
import { concatPaddedStates } from './concat-padded-states.js';
import { QueueFullError } from './queue-full-error.js';
import { RowBatch } from './row-batch.js';
import { TokenChannel } from './token-channel.js';

/** Limits of a {@link ContinuousBatcher}. */
export interface ContinuousBatcherOptions {
  /** Most requests decoding at once (rows of the shared batch, priming included). Default `32`. */
  maxBatch?: number;
  /** Most requests waiting for a row beyond those; one more is refused with {@link QueueFullError}. Default `256`. */
  maxQueue?: number;
  /**
   * Prompt steps run for newly admitted requests before each shared decoding
   * step: more gives new requests their first token sooner, fewer keeps the
   * running ones' per-token latency even. Default `4`.
   */
  primeStepsPerTick?: number;
}

/** One request to a {@link ContinuousBatcher}. */
export interface BatchRequest<Condition = unknown> {
  /** Token ids to continue (non-empty, each below the model's `vocabSize`). */
  promptIds: readonly number[];
  /**
   * This request's own decoding settings: greedy (`temperature: 0`) or
   * sampling with its own `seed`, `topP`, `maxNewTokens`, stop tokens and
   * sequences… Beam search and `numReturnSequences > 1` are refused (submit
   * one request per sample instead).
   */
  config?: Partial<GenerationConfig>;
  /**
   * For a conditioned model: one row of what `model.initialState(1, condition)`
   * takes (e.g. an `AttentionMemory` `{ memory: [1, S, d], mask: [1, S] }`).
   * The batcher owns it from `submit` on and disposes it. Rows whose states
   * hold sources of different lengths share the batch zero-padded, so the
   * model's state should carry a mask that marks the padding (0).
   */
  condition?: Condition;
  /** Token ids → text: fills `text` on each token and enables string stop sequences. */
  decode?: DecodeFn;
  /** Aborting it cancels the request: its row leaves the batch and the iteration rejects with the reason. */
  signal?: AbortSignal;
}

/** A token chosen for one request. */
export interface BatchToken {
  /** The chosen token id. */
  token: number;
  /** Log-probability of `token` under the processed distribution it was drawn from. */
  logProb: number;
  /** With `decode`: the text this token adds (whole characters only; see `stream`). */
  text?: string;
  /** This token ends the request. */
  done: boolean;
  /** Why the request ended, on its last token. */
  finishReason?: FinishReason;
}

/** What a {@link ContinuousBatcher} holds and has done. */
export interface BatcherStats {
  /** Requests whose rows decode in the shared batch. */
  decoding: number;
  /** Admitted requests still reading their prompts. */
  priming: number;
  /** Requests waiting for a row. */
  waiting: number;
  /** Requests that ended by a stop or their length. */
  completed: number;
  /** Requests cancelled (left early, aborted, or the batcher closed). */
  cancelled: number;
  /** Requests ended by an error in a model step. */
  failed: number;
  /** Shared decoding steps run (`model.step` on the decoding batch). */
  decodeSteps: number;
  /** Tokens generated for all requests. */
  tokens: number;
}

interface Pending<Condition> {
  prompt: readonly number[];
  condition: Condition | undefined;
  row: Row;
}

interface Row {
  prompt: readonly number[];
  /** Prompt tokens already fed while priming. */
  fed: number;
  /** The token the next shared step feeds. */
  next: number;
  setup: DecodeLoopSetup;
  sequence: number[];
  generated: number[];
  deltas: TextDeltas | undefined;
  channel: TokenChannel<BatchToken>;
  /** Set once the row must leave the batch (finished, cancelled or failed). */
  gone: boolean;
  detach: () => void;
}

/**
 * Continuous batching for stateful decoding: requests arrive at any time and
 * share one batched `model.step` per token. Each tick, waiting requests are
 * admitted while there are free rows (each starts from
 * `model.initialState(1, condition)`), admitted ones read their prompts in a
 * priming batch of their own, joining the decoding batch (by state
 * concatenation) once only their last prompt token is left; then every
 * decoding row advances in one step and samples with its own settings and
 * random generator, so a request's tokens equal `generate` with the same
 * config, whoever it shared the batch with. Finished and cancelled rows leave
 * (the others' state rows are gathered, theirs freed) before the next step.
 */
export class ContinuousBatcher<State, Condition = never> {
  private readonly maxBatch: number;
  private readonly maxQueue: number;
  private readonly primeStepsPerTick: number;
  private readonly waiting: Pending<Condition>[] = [];
  private readonly priming: RowBatch<State, Row>;
  private readonly decoding: RowBatch<State, Row>;
  private loop: Promise<void> | undefined;
  private closed = false;
  private readonly counts = { completed: 0, cancelled: 0, failed: 0, decodeSteps: 0, tokens: 0 };

  constructor(
    private readonly model: SequenceModel<State, Condition>,
    options: ContinuousBatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 32;
    this.maxQueue = options.maxQueue ?? 256;
    this.primeStepsPerTick = options.primeStepsPerTick ?? 4;
    assertPositiveInteger('maxBatch', this.maxBatch);
    assertNonNegativeInteger('maxQueue', this.maxQueue);
    assertPositiveInteger('primeStepsPerTick', this.primeStepsPerTick);
    this.priming = new RowBatch(model as SequenceModel<State, unknown>);
    this.decoding = new RowBatch(model as SequenceModel<State, unknown>);
  }

  /** Requests held now, decoding or waiting. */
  get held(): number {
    return this.waiting.length + this.priming.size + this.decoding.size;
  }

  /** Counts of what is held and what was done. */
  stats(): BatcherStats {
    return {
      decoding: this.decoding.size,
      priming: this.priming.size,
      waiting: this.waiting.length,
      ...this.counts,
    };
  }

  /**
   * Queues a request and returns its tokens as they are chosen. Checks
   * everything first (`ConfigError`, `ShapeError`); throws
   * {@link QueueFullError} when `maxBatch + maxQueue` requests are held.
   * Leaving the iteration early (`break`) cancels the request. The
   * request's `condition` is disposed even when it is refused.
   */
  submit(request: BatchRequest<Condition>): AsyncIterableIterator<BatchToken> {
    try {
      return this.enqueue(request);
    } catch (error) {
      // Refused or not, the condition was handed over: nothing else will free it.
      if (request.condition !== undefined) disposeState(request.condition);
      throw error;
    }
  }

  private enqueue(request: BatchRequest<Condition>): AsyncIterableIterator<BatchToken> {
    if (this.closed) throw new ConfigError('submit', 'the batcher is closed');
    const config = prepareConfig(this.model, request.config ?? {});
    checkPrompt(request.promptIds, this.model.vocabSize, 'promptIds');
    const strategy = decodingStrategy(config);
    if (strategy === 'beam') {
      throw new ConfigError('numBeams', 'continuous batching decodes greedily or by sampling, not by beam search');
    }
    if (config.numReturnSequences !== 1) {
      throw new ConfigError('numReturnSequences', 'one sequence per request: submit one request per sample');
    }
    if (request.condition !== undefined) checkConditionRows(request.condition, 1, 'ContinuousBatcher.submit');
    if (this.held >= this.maxBatch + this.maxQueue) throw new QueueFullError(this.held);
    const { signal, decode } = request;
    signal?.throwIfAborted();

    const setup = createDecodeSetup(config, strategy, { decode });
    const row: Row = {
      prompt: [...request.promptIds],
      fed: 0,
      next: request.promptIds[request.promptIds.length - 1] as number,
      setup,
      sequence: [...request.promptIds],
      generated: [],
      deltas: decode ? new TextDeltas(decode) : undefined,
      channel: new TokenChannel<BatchToken>(() => this.cancel(row)),
      gone: false,
      detach: () => {},
    };
    if (signal) {
      const onAbort = () => {
        row.channel.end({ error: signal.reason });
        this.cancel(row);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      row.detach = () => signal.removeEventListener('abort', onAbort);
    }
    this.waiting.push({ prompt: row.prompt, condition: request.condition, row });
    this.wake();
    return row.channel;
  }

  /** Cancels every request (their iterations reject) and frees all state; later `submit`s are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new ConfigError('submit', 'the batcher was closed');
    this.failAll(error, false);
    await this.loop;
  }

  private cancel(row: Row): void {
    if (row.gone) return;
    row.gone = true;
    row.detach();
    this.counts.cancelled++;
  }

  private wake(): void {
    if (this.loop) return;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
      // A request submitted while the loop was ending.
      if (this.held > 0 && !this.closed) this.wake();
    });
  }

  private async run(): Promise<void> {
    while (this.held > 0 && !this.closed) {
      try {
        await this.tick();
      } catch (error) {
        // A failing model step fails the requests it held; the batcher keeps serving new ones.
        this.failAll(error, true);
      }
      // A macrotask between ticks lets sockets, timers and aborts run.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private async tick(): Promise<void> {
    this.dropGone();
    this.admit();
    for (let s = 0; s < this.primeStepsPerTick && this.priming.size > 0; s++) {
      this.priming.step((row) => row.prompt[row.fed] as number).dispose();
      for (const row of this.priming.rows) row.fed++;
      this.promote();
    }
    if (this.decoding.size === 0) return;
    const logits = this.decoding.step((row) => row.next);
    let rows: Float32Array[];
    try {
      rows = await readLogitRows(logits, 'model.step');
    } finally {
      logits.dispose();
    }
    this.counts.decodeSteps++;
    this.decoding.rows.forEach((row, i) => {
      if (!row.gone) this.choose(row, rows[i] as Float32Array);
    });
    this.decoding.drop((row) => row.gone);
  }

  /** Samples one row's next token from its logits and hands it to the request. */
  private choose(row: Row, logits: Float32Array): void {
    const { config, strategy, processors, rng, stop } = row.setup;
    const processed = applyLogitsProcessors(processors, logits, {
      step: row.generated.length,
      sequence: row.sequence,
      promptLength: row.prompt.length,
    });
    const token = strategy === 'greedy' ? greedyToken(processed) : sampleToken(processed, rng);
    const logProb = logSoftmax(processed)[token] as number;
    row.generated.push(token);
    row.sequence.push(token);
    row.next = token;
    this.counts.tokens++;
    const reason = stop(row.generated) ?? (row.generated.length >= config.maxNewTokens ? 'length' : null);
    const done = reason !== null;
    const item: BatchToken = { token, logProb, done };
    if (row.deltas) item.text = row.deltas.next(row.generated, done);
    if (reason) item.finishReason = reason;
    row.channel.push(item);
    if (done) {
      row.gone = true;
      row.detach();
      row.channel.end();
      this.counts.completed++;
    }
  }

  /** Frees the rows of cancelled requests, wherever they are. */
  private dropGone(): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const pending = this.waiting[i] as Pending<Condition>;
      if (pending.row.gone) {
        this.waiting.splice(i, 1);
        if (pending.condition !== undefined) disposeState(pending.condition);
      }
    }
    this.priming.drop((row) => row.gone);
    this.decoding.drop((row) => row.gone);
  }

  /** Gives free rows to waiting requests, in arrival order. */
  private admit(): void {
    const free = this.maxBatch - this.priming.size - this.decoding.size;
    if (free <= 0 || this.waiting.length === 0) return;
    const admitted = this.waiting.splice(0, free);
    const states = admitted.map(({ condition }) => {
      try {
        return startState(this.model, 1, condition, 'ContinuousBatcher');
      } finally {
        if (condition !== undefined) disposeState(condition);
      }
    });
    // Prompts of one token have nothing to prime: they decode from the next step.
    const direct = admitted.flatMap((p, i) => (p.prompt.length === 1 ? [i] : []));
    const primed = admitted.flatMap((p, i) => (p.prompt.length > 1 ? [i] : []));
    this.join(
      this.decoding,
      direct.map((i) => (admitted[i] as Pending<Condition>).row),
      direct.map((i) => states[i] as State),
    );
    this.join(
      this.priming,
      primed.map((i) => (admitted[i] as Pending<Condition>).row),
      primed.map((i) => states[i] as State),
    );
  }

  /** Moves rows that have read all but their last prompt token into the decoding batch. */
  private promote(): void {
    const { rows, state } = this.priming.take((row) => row.fed >= row.prompt.length - 1);
    if (state !== undefined) this.decoding.add(rows, state);
  }

  private join(batch: RowBatch<State, Row>, rows: Row[], states: State[]): void {
    if (rows.length === 0) return;
    const state = states.length === 1 ? (states[0] as State) : concatPaddedStates(states);
    if (states.length > 1) for (const s of states) disposeState(s);
    batch.add(rows, state);
  }

  private failAll(error: unknown, countAsFailed: boolean): void {
    const rows = [...this.waiting.map((p) => p.row), ...this.priming.rows, ...this.decoding.rows];
    for (const pending of this.waiting) if (pending.condition !== undefined) disposeState(pending.condition);
    this.waiting.length = 0;
    this.priming.dispose();
    this.decoding.dispose();
    for (const row of rows) {
      if (row.gone) continue;
      row.gone = true;
      row.detach();
      row.channel.end({ error });
      if (countAsFailed) this.counts.failed++;
      else this.counts.cancelled++;
    }
  }
}
