import { type NativeKernels, nativeKernels, type RecurrentCell } from '@seqgen/cells';
import * as tf from '@tensorflow/tfjs';

/**
 * The language model's one-call generation step: it lives beside the model it
 * serves (`RecurrentLanguageModel.step`), and reaches @seqgen/native through
 * @seqgen/cells' `nativeKernels()`, so that `SEQGEN_NATIVE=0` and
 * `setNativeKernels(false)` turn it off with the cells' own kernels.
 */
type PackedDecoder = ReturnType<NativeKernels['packDecoder']>;

/** What a token embedding → stacked cells → linear head language model is made of. */
export interface DecoderParts {
  /** `[vocab, embedding]`. */
  embedding: tf.Tensor;
  /** The cells, bottom to top (one per layer, unidirectional). */
  cells: readonly RecurrentCell[];
  /** `[top units, vocab]`, or null when tied to the embedding (the head is `embeddingᵀ`). */
  outputKernel: tf.Tensor | null;
  /** `[vocab]`. */
  outputBias: tf.Tensor;
  /**
   * A conditioned model's second embedding `[condition vocab, width]`: layer 0 reads the token's
   * row followed by the condition's row, and `step` takes one condition id per row.
   */
  conditionEmbedding?: tf.Tensor;
}

/**
 * A whole language model's generation step in one native call: the token's
 * embedding row, every layer's cell step and the output projection, with the
 * state in plain Float32Arrays. Build it with {@link nativeDecoder}.
 */
export interface NativeDecoder {
  /** Tokens in the vocabulary: the width of each row of logits. */
  readonly vocabSize: number;
  /** State sizes in order (`[h, c]` per LSTM layer, `[h]` otherwise). */
  readonly stateSizes: readonly number[];
  /**
   * One step for `tokens.length` rows: `states` (one Float32Array `[batch, size]` per
   * state tensor) are updated in place; returns the logits `[batch, vocab]`: written into
   * `out` when given (reuse one buffer per generation loop: no allocation per token), else fresh.
   * A conditioned decoder needs `conditions`, one id per row.
   */
  step(tokens: Int32Array, states: Float32Array[], out?: Float32Array, conditions?: Int32Array): Float32Array;
}

const cache = new WeakMap<object, { ids: object[]; d: NativeDecoder }>();

function f32(t: tf.Tensor): Float32Array {
  const d = t.dataSync();
  return d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>);
}

/** The plain cells the native kernels implement (no projection, layer norm or reset-before GRU). */
function plain(cell: RecurrentCell): boolean {
  const keys = Object.keys(cell.variables).sort().join(',');
  if (cell.type === 'lstm') return keys === 'bias,kernel,recurrentKernel';
  if (cell.type === 'gru') return keys === 'bias,kernel,recurrentBias,recurrentKernel';
  if (cell.type === 'rnn') return keys === 'bias,kernel,recurrentKernel';
  return false;
}

/**
 * The native decoder for these parts, when @seqgen/native applies (wasm or cpu
 * backend, addon built, `SEQGEN_NATIVE` not 0), no gradient tape records, and
 * every cell is a plain LSTM/GRU/RNN of one type; otherwise undefined (use the
 * tfjs ops). Packed once per set of weight buffers: a variable's assign() gives
 * it a new buffer, so after training the next call packs again.
 */
export function nativeDecoder(parts: DecoderParts): NativeDecoder | undefined {
  if (tf.engine().isTapeOn()) return undefined;
  const native = nativeKernels();
  const { cells, embedding, outputKernel, outputBias, conditionEmbedding } = parts;
  const first = cells[0];
  if (!native || !first || !cells.every((c) => c.type === first.type && plain(c))) return undefined;
  const cellType = first.type as 'lstm' | 'gru' | 'rnn';
  const activation = (first as { activation?: 'tanh' | 'relu' }).activation ?? 'tanh';
  if (cells.some((c) => ((c as { activation?: string }).activation ?? 'tanh') !== activation)) return undefined;
  if (embedding.rank !== 2 || embedding.dtype !== 'float32') return undefined;
  if (conditionEmbedding && (conditionEmbedding.rank !== 2 || conditionEmbedding.dtype !== 'float32')) return undefined;
  const [V, E] = embedding.shape as [number, number];
  const tensors: tf.Tensor[] = [embedding, outputBias];
  if (conditionEmbedding) tensors.push(conditionEmbedding);
  if (outputKernel) tensors.push(outputKernel);
  for (const c of cells) for (const k of Object.keys(c.variables).sort()) tensors.push(c.variables[k] as tf.Tensor);
  const ids = tensors.map((t) => t.dataId as object);
  const hit = cache.get(ids[0] as object);
  if (hit && hit.ids.length === ids.length && hit.ids.every((d, k) => d === ids[k])) return hit.d;
  let packed: PackedDecoder;
  try {
    packed = native.packDecoder({
      cell: cellType,
      activation,
      vocabSize: V,
      embeddingSize: E,
      layers: cells.map((c) => ({
        units: c.stateSizes[0] as number,
        kernel: f32(c.variables.kernel as tf.Tensor),
        recurrentKernel: f32(c.variables.recurrentKernel as tf.Tensor),
        bias: f32(c.variables.bias as tf.Tensor),
        ...(c.variables.recurrentBias ? { recurrentBias: f32(c.variables.recurrentBias) } : {}),
      })),
      embedding: f32(embedding),
      outputKernel: f32(outputKernel ?? embedding),
      outputTransposed: outputKernel === null,
      outputBias: f32(outputBias),
      ...(conditionEmbedding
        ? {
            condition: {
              vocabSize: conditionEmbedding.shape[0] as number,
              embeddingSize: conditionEmbedding.shape[1] as number,
              embedding: f32(conditionEmbedding),
            },
          }
        : {}),
    });
  } catch {
    return undefined; // shapes the native kernels do not take: the tfjs ops handle (and report) them
  }
  const stateSizes = cells.flatMap((c) => [...c.stateSizes]);
  const d: NativeDecoder = {
    vocabSize: V,
    stateSizes,
    step(tokens, states, out, conditions) {
      const logits = out ?? new Float32Array(tokens.length * V);
      native.decodeStep(packed, tokens, states, logits, conditions);
      return logits;
    },
  };
  cache.set(ids[0] as object, { ids, d });
  return d;
}

/** The values behind state tensors made by {@link stepStateTensors} (never written after the tensor is made). */
const stateArrays = new WeakMap<object, Float32Array>();

/**
 * One native step on tfjs state tensors, for a model's `step`: copies each state (read from the
 * array a previous native step made it from, else from the tensor) so the caller's tensors stay
 * untouched, runs the decoder, and returns the logits `[B, vocab]` and new state tensors.
 */
export function stepStateTensors(
  decoder: NativeDecoder,
  tokens: Int32Array,
  state: readonly tf.Tensor[],
  conditions?: Int32Array,
): { logits: tf.Tensor2D; state: tf.Tensor[] } {
  const B = tokens.length;
  const arrays = state.map((s) => (stateArrays.get(s.dataId as object) ?? (s.dataSync() as Float32Array)).slice());
  const logits = decoder.step(tokens, arrays, undefined, conditions);
  const next = arrays.map((a, k) => {
    const t = tf.tensor2d(a, [B, decoder.stateSizes[k] as number]);
    stateArrays.set(t.dataId as object, a);
    return t;
  });
  return { logits: tf.tensor2d(logits, [B, decoder.vocabSize]), state: next };
}
