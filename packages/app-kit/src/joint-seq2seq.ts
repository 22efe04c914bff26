import { Seq2Seq, type Seq2SeqAttention, type Seq2SeqEncoderType } from '@seqgen/models';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import { InputError } from './errors.js';

/** The model settings of {@link buildJointSeq2Seq} (what an app's `train` records in `run.json`). */
export type JointSeq2SeqOptions = {
  cell: 'gru' | 'lstm';
  attention: Seq2SeqAttention;
  layers: number;
  hidden: number;
  embedding: number;
  bidirectional: boolean;
  /** Luong input feeding (ignored without attention). */
  inputFeeding: boolean;
  dropout: number;
  labelSmoothing: number;
  seed: number;
  /** `flat` (default) or `hierarchical` (a turn encoder over per-turn encodings; needs `turnSeparatorId`). */
  encoderType?: Seq2SeqEncoderType;
  /** The token that ends a turn of the source (hierarchical encoders). */
  turnSeparatorId?: number;
};

/**
 * The padding, start and end token ids of a tokenizer `<cli> prepare` wrote; a tokenizer without
 * them is an {@link InputError} (exit 3).
 */
export function specialTokenIds(
  tokenizer: SeqgenTokenizer,
  cli: string,
): { padId: number; bosId: number; eosId: number } {
  const id = (token: string): number => {
    const found = tokenizer.tokenToId(token);
    if (found === undefined)
      throw new InputError(`the tokenizer has no ${token} token (not written by ${cli} prepare)`);
    return found;
  };
  return { padId: id('<pad>'), bosId: id('<bos>'), eosId: id('<eos>') };
}

/**
 * An encoder-decoder with one vocabulary on both sides (a joint BPE), `layers` deep in the
 * encoder and the decoder alike, as an app's `train` builds it from its options.
 */
export function buildJointSeq2Seq(options: JointSeq2SeqOptions, tokenizer: SeqgenTokenizer, cli: string): Seq2Seq {
  return Seq2Seq.create({
    sourceVocabSize: tokenizer.vocabSize,
    targetVocabSize: tokenizer.vocabSize,
    embeddingSize: options.embedding,
    hiddenSize: options.hidden,
    encoderLayers: options.layers,
    decoderLayers: options.layers,
    cell: options.cell,
    bidirectional: options.bidirectional,
    attention: options.attention,
    inputFeeding: options.inputFeeding && options.attention !== 'none',
    dropout: options.dropout,
    labelSmoothing: options.labelSmoothing,
    ...(options.encoderType ? { encoderType: options.encoderType } : {}),
    ...(options.turnSeparatorId !== undefined ? { turnSeparatorId: options.turnSeparatorId } : {}),
    ...specialTokenIds(tokenizer, cli),
    seed: options.seed,
  });
}
