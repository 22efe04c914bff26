import { gatherRows, type SequenceModel, ShapeError, type SteppedModel } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Helpers for carrying a model's recurrent state through decoding. State may
 * be a tensor, an array of tensors (the usual `[h, c]`), or a plain object of
 * them, nested; every tensor has the batch on axis 0.
 */

/** Every tensor inside a state, in a stable order. */
export function stateTensors(state: unknown): tf.Tensor[] {
  const found: tf.Tensor[] = [];
  const walk = (value: unknown) => {
    if (value instanceof tf.Tensor) found.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (isPlainObject(value)) Object.values(value).forEach(walk);
  };
  walk(state);
  return found;
}

/** The same structure with `fn` applied to every tensor (other leaves are kept as they are). */
export function mapStateTensors<State>(state: State, fn: (tensor: tf.Tensor) => tf.Tensor): State {
  const map = (value: unknown): unknown => {
    if (value instanceof tf.Tensor) return fn(value);
    if (Array.isArray(value)) return value.map(map);
    if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, map(v)]));
    return value;
  };
  return map(state) as State;
}

/**
 * Rows `indices` of every state tensor (`tf.gather` on axis 0, by row copies on
 * wasm and cpu: gather-rows.ts): how beam search
 * makes each surviving beam continue from its parent's state. Returns new
 * tensors; the caller disposes the old state.
 */
export function gatherState<State>(state: State, indices: readonly number[]): State {
  return tf.tidy(() => {
    const idx = tf.tensor1d(indices as number[], 'int32');
    return mapStateTensors(state, (t) => gatherRows(t, idx)) as tf.TensorContainer;
  }) as State;
}

/**
 * {@link gatherState} for a reorder that some tensors need not follow: a
 * tensor for which `keep` is true stays as it is (the same object, neither
 * gathered nor to be disposed with the old state); every other one is
 * gathered, and `gathered(from, to)` is told of it. The caller disposes the
 * old state with {@link disposeReplacedState}, which spares the kept tensors.
 */
export function gatherStateExcept<State>(
  state: State,
  indices: readonly number[],
  keep: (tensor: tf.Tensor) => boolean,
  gathered?: (from: tf.Tensor, to: tf.Tensor) => void,
): State {
  return tf.tidy(() => {
    let idx: tf.Tensor1D | undefined;
    return mapStateTensors(state, (t) => {
      if (keep(t)) return t;
      idx ??= tf.tensor1d(indices as number[], 'int32');
      const to = gatherRows(t, idx);
      gathered?.(t, to);
      return to;
    }) as tf.TensorContainer;
  }) as State;
}

/**
 * The tensors of `returned` that are tensors of `given`, the same objects: what
 * a `model.step` given `given` passed through unchanged (an attention
 * decoder's memory, say). Compares identities only; disposed tensors of
 * `given` are fine.
 */
export function passedThrough(given: unknown, returned: unknown): Set<tf.Tensor> {
  const before = new Set(stateTensors(given));
  return new Set(stateTensors(returned).filter((t) => before.has(t)));
}

/**
 * The rows of several states of the same structure, one after another
 * (`tf.concat` on axis 0 of each tensor): how prompts primed in separate
 * batches join one batch. Returns new tensors; the caller disposes the parts.
 */
export function concatStates<State>(states: readonly State[]): State {
  const parts = states.map((s) => stateTensors(s));
  let k = 0;
  return tf.tidy(
    () =>
      mapStateTensors(states[0] as State, () => {
        const at = k++;
        return tf.concat(
          parts.map((p) => p[at] as tf.Tensor),
          0,
        );
      }) as tf.TensorContainer,
  ) as State;
}

/**
 * Reads `trace(state)` as one `Float32Array` per row (copies). The traced
 * tensor must be `[rows, K]`; a tensor the state itself holds is left alone,
 * anything `trace` made is disposed.
 */
export async function readTraceRows<State>(
  trace: (state: State) => tf.Tensor,
  state: State,
  rows: number,
  context: string,
): Promise<Float32Array[]> {
  const traced = tf.tidy(() => trace(state));
  try {
    if (!(traced instanceof tf.Tensor) || traced.rank !== 2 || traced.shape[0] !== rows) {
      const actual = traced instanceof tf.Tensor ? `shape [${traced.shape.join(', ')}]` : typeof traced;
      throw new ShapeError('trace', `a tensor [${rows}, K] (one row per decoded row)`, actual, context);
    }
    const width = traced.shape[1] as number;
    const data = Float32Array.from(await traced.data());
    return Array.from({ length: rows }, (_, r) => data.slice(r * width, (r + 1) * width));
  } finally {
    if (traced instanceof tf.Tensor && !stateTensors(state).includes(traced) && !traced.isDisposed) traced.dispose();
  }
}

/**
 * Checks that every tensor of a condition has `rows` rows (batch on axis 0).
 * A condition is opaque to samplers: a tensor, or an array or plain object of
 * them (`AttentionMemory` is `{ memory, mask? }`).
 */
export function checkConditionRows(condition: unknown, rows: number, context: string, name = 'condition'): void {
  const tensors = stateTensors(condition);
  if (tensors.length === 0) {
    throw new ShapeError(
      name,
      'a tensor, or an array or object of tensors, with the batch on axis 0',
      'no tensors',
      context,
    );
  }
  for (const t of tensors) {
    if (t.rank === 0 || t.shape[0] !== rows) {
      throw new ShapeError(
        name,
        `${rows} row${rows === 1 ? '' : 's'} (batch on axis 0)`,
        `shape [${t.shape.join(', ')}]`,
        context,
      );
    }
  }
}

/**
 * Row `row` of every tensor of a condition, as new tensors (the caller
 * disposes them): how one prompt of a batch gets its own condition.
 */
export function conditionRow<Condition>(condition: Condition, row: number): Condition {
  return gatherState(condition, [row]);
}

/** Rows `rows` of every tensor of a condition, as new tensors (the caller disposes them). */
export function conditionRows<Condition>(condition: Condition, rows: readonly number[]): Condition {
  return gatherState(condition, rows);
}

/**
 * The state decoding starts from: `model.initialState(rows, condition)`, each
 * row then repeated `repeat` times with {@link gatherState} (so a condition the
 * model keeps in its state is repeated with it, rather than the model being
 * asked for more rows). The condition's rows are checked first. Tensors of the
 * caller's condition that the model keeps in its state as they are are cloned,
 * so that disposing the state never disposes what the caller owns.
 */
export function startState<State, Condition>(
  model: SteppedModel<State, Condition>,
  rows: number,
  condition: Condition | undefined,
  context: string,
  repeat = 1,
): State {
  if (condition !== undefined) checkConditionRows(condition, rows, context);
  const owned = new Set(condition === undefined ? [] : stateTensors(condition));
  const initial = tf.tidy(
    () =>
      (condition === undefined ? model.initialState(rows) : model.initialState(rows, condition)) as tf.TensorContainer,
  ) as State;
  const state = owned.size === 0 ? initial : mapStateTensors(initial, (t) => (owned.has(t) ? tf.clone(t) : t));
  if (repeat === 1) return state;
  const repeated = gatherState(
    state,
    Array.from({ length: rows * repeat }, (_, i) => Math.floor(i / repeat)),
  );
  disposeState(state);
  return repeated;
}

/** Disposes the tensors of `previous` that `next` no longer holds (models may pass tensors through unchanged). */
export function disposeReplacedState(previous: unknown, next: unknown): void {
  const kept = new Set(stateTensors(next));
  for (const t of stateTensors(previous)) if (!kept.has(t) && !t.isDisposed) t.dispose();
}

/** Disposes every tensor of a state. */
export function disposeState(state: unknown): void {
  for (const t of stateTensors(state)) if (!t.isDisposed) t.dispose();
}

/**
 * One `model.step` on int32 token ids. Runs inside `tf.tidy` so that whatever
 * the model allocates in between is freed, disposes the replaced state, and
 * checks the logits shape. The caller owns (and disposes) the returned tensors.
 */
export function stepModel<State, Condition>(
  model: SequenceModel<State, Condition>,
  tokens: readonly number[],
  state: State,
): { logits: tf.Tensor2D; state: State } {
  const out = tf.tidy(() => {
    const { logits, state: next } = model.step(tf.tensor1d(tokens as number[], 'int32'), state);
    return { logits, state: next as tf.TensorContainer };
  }) as { logits: tf.Tensor2D; state: State };
  disposeReplacedState(state, out.state);
  const [rows, vocab] = out.logits.shape;
  if (out.logits.rank !== 2 || rows !== tokens.length || vocab !== model.vocabSize) {
    const actual = `[${out.logits.shape.join(', ')}]`;
    disposeState(out);
    throw new ShapeError('logits', `[${tokens.length}, ${model.vocabSize}]`, actual, 'model.step');
  }
  return out;
}

/**
 * Copies logits `[batch, vocab]` to one `Float32Array` per row. A copy, not
 * the backend's buffer: processors edit rows in place, and on the cpu backend
 * `data()` can return memory another tensor (say, the model's weights) shares.
 */
export async function readLogitRows(logits: tf.Tensor, context: string): Promise<Float32Array[]> {
  if (logits.rank !== 2)
    throw new ShapeError('logits', 'rank 2 [batch, vocabSize]', `shape [${logits.shape}]`, context);
  const [rows, vocab] = logits.shape as [number, number];
  const values = await logits.data();
  // wasm (and the GPU backends) return a fresh copy already; the cpu backend may return its own array.
  const data = tf.getBackend() !== 'cpu' && values instanceof Float32Array ? values : Float32Array.from(values);
  return Array.from({ length: rows }, (_, r) => data.subarray(r * vocab, (r + 1) * vocab));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
