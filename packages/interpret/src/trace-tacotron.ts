import { ConfigError, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { LayerTrace, StepTrace, TraceOption } from './sequence-trace.js';
import { checkIds } from './trace-language-model.js';

/**
 * What tracing needs of a speech decoder (`@seqgen/models`' `Tacotron`):
 * teacher-forced `forward(ids, textLengths, mels, frameLengths, { trace: true })`
 * returning the decoder LSTM's per-layer traces, the alignment and stop logits.
 */
export type TraceableSpeechDecoder = {
  /** Input symbols: ids must be below it. */
  readonly vocabSize: number;
  /** What tracing reads of the config: mel bins per frame and frames per decoder step. */
  readonly config: SpeechDecoderConfig;
  /** Teacher-forced decoding of padded texts against gold frames. */
  forward(
    ids: tf.Tensor2D,
    textLengths: readonly number[],
    mels: tf.Tensor3D,
    frameLengths: readonly number[],
    options?: TraceOption,
  ): SpeechDecoderForward;
};

/** What tracing reads of a speech decoder's config. */
export type SpeechDecoderConfig = {
  /** Mel bins per frame. */
  readonly melBins: number;
  /** Mel frames per decoder step. */
  readonly reduction: number;
};

/** What tracing reads of a speech decoder's `forward`. */
export type SpeechDecoderForward = {
  /** One stop logit per decoder step `[B, N]`. */
  stopLogits: tf.Tensor2D;
  /** Attention weights per decoder step `[B, N, S]`. */
  alignment: tf.Tensor3D;
  /** With `trace: true`: per decoder layer, each traced quantity `[B, N, size]`. */
  trace?: Array<Record<string, tf.Tensor>>;
};

/** A speech decoder's internals per decoder step over one utterance, in host memory. */
export type SpeechDecoderTrace = StepTrace & {
  /** The input symbol ids (the attention's columns). */
  symbols: number[];
  /** Mel frames read (teacher forcing); `steps` is this divided by the reduction, rounded up. */
  frames: number;
  /** Attention weights, `steps × symbols.length` row-major: row n is where decoder step n looked. */
  alignment: Float32Array;
  /** The stop-token probability (sigmoid of the stop logit) at each decoder step. */
  stopProbabilities: Float32Array;
};

/**
 * Runs a speech decoder (`Tacotron`) teacher-forced over `symbols` and the
 * mel frames `mel` (each `melBins` values: a recording's, or the model's own
 * from `synthesize(...)[0].melBeforePostnet`) once with tracing on: per
 * decoder LSTM layer `i f g o c h` per decoder step, the location-sensitive
 * attention's alignment and the stop-token probability. A model that returns
 * no trace is a ConfigError; no symbols, no frames or frames of the wrong
 * width a ShapeError.
 */
export function traceTacotron(
  model: TraceableSpeechDecoder,
  symbols: ArrayLike<number>,
  mel: readonly ArrayLike<number>[],
): SpeechDecoderTrace {
  const context = 'traceTacotron';
  if (typeof model?.forward !== 'function' || typeof model.config?.melBins !== 'number') {
    throw new ConfigError(
      'model',
      'has no forward(ids, textLengths, mels, frameLengths, options): it is not a Tacotron',
    );
  }
  const ids = checkIds(symbols, model.vocabSize, context);
  const { melBins: M, reduction: R } = model.config;
  if (!Array.isArray(mel) || mel.length === 0) {
    throw new ShapeError('mel', 'at least one mel frame', Array.isArray(mel) ? 'none' : typeof mel, context);
  }
  const frames = mel.length;
  const N = Math.ceil(frames / R);
  // The last decoder step's group is padded with silence (zeros); frameLengths keeps it out of the post-net.
  const flat = new Float32Array(N * R * M);
  mel.forEach((frame, t) => {
    if (frame?.length !== M) throw new ShapeError(`mel[${t}]`, `${M} values (melBins)`, `${frame?.length}`, context);
    for (let k = 0; k < M; k++) {
      const v = frame[k] as number;
      if (!Number.isFinite(v)) throw new ShapeError(`mel[${t}][${k}]`, 'a finite number', String(v), context);
      flat[t * M + k] = v;
    }
  });
  return tf.tidy(() => {
    const S = ids.length;
    const out = model.forward(tf.tensor2d(ids, [1, S], 'int32'), [S], tf.tensor3d(flat, [1, N * R, M]), [frames], {
      trace: true,
    });
    if (!Array.isArray(out.trace) || out.trace.length === 0) {
      throw new ConfigError(
        'model',
        'returned no trace from forward(..., { trace: true }): it does not pass tracing through to its decoder',
      );
    }
    const layers: LayerTrace[] = out.trace.map((layer) => {
      const quantities: LayerTrace['quantities'] = {};
      for (const [name, t] of Object.entries(layer)) {
        quantities[name] = { size: t.shape[t.shape.length - 1] as number, values: t.dataSync() as Float32Array };
      }
      return { cell: 'lstm', quantities };
    });
    return {
      steps: N,
      layers,
      symbols: ids,
      frames,
      alignment: out.alignment.dataSync() as Float32Array,
      stopProbabilities: tf.sigmoid(out.stopLogits).dataSync() as Float32Array,
    };
  });
}
