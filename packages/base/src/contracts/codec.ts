import type { JsonValue } from '../json-value.js';

/**
 * A preprocessor's serialized form, as stored under a name in a checkpoint's
 * `preprocessors`: `type`-tagged (the registry's `codec` kind rebuilds it)
 * with a format version.
 */
export interface CodecJson {
  /** The registered codec type (kind `codec`) that rebuilds this JSON. */
  type: string;
  /** Version of this codec type's JSON layout, so that older layouts can still be read. */
  version: number;
  [key: string]: JsonValue;
}

/**
 * Turns a domain object into what a model reads, and back: text ⇄ token ids,
 * a MIDI performance ⇄ event ids, audio ⇄ mel frames, an image ⇄ pixels.
 * Codecs hold no tfjs state: they work on plain arrays, so they run anywhere.
 */
export interface Codec<T, Encoded> {
  /** Registry type under kind `codec`; also `toJSON().type`. */
  readonly type: string;
  /** Turns a domain object into what a model reads (ids, frames). */
  encode(value: T): Encoded;
  /** Turns what a model produced (ids, frames) back into a domain object. */
  decode(encoded: Encoded): T;
  /** JSON from which the registry rebuilds an equal codec. */
  toJSON(): CodecJson;
}

/** A codec to and from ids of a fixed vocabulary (tokenizers, MIDI event encodings). */
export interface DiscreteCodec<T> extends Codec<T, number[]> {
  /** Number of distinct ids; every encoded id lies in `[0, vocabSize)`. */
  readonly vocabSize: number;
}

/** A codec to and from frames of `frameSize` floats (mel spectrograms, flattened video frames). */
export interface FrameCodec<T> extends Codec<T, Float32Array[]> {
  /** Floats per frame: the length of every encoded Float32Array. */
  readonly frameSize: number;
}

/** Text ⇄ token ids. Implemented by `@seqgen/tokenizers`; no tfjs involved. */
export type Tokenizer = DiscreteCodec<string>;
