import type { Seq2SeqAttention } from '@seqgen/models';
import { type Command, Option } from 'commander';
import { integerOption, numberOption } from './options.js';

/** The attention choices of `--attention` (`none`: a plain encoder-decoder). */
export const ATTENTION_CHOICES = ['bahdanau', 'luong-dot', 'luong-general', 'none'] as const;

/** What differs between apps in {@link addSeq2SeqModelOptions}. */
export type Seq2SeqModelSpec = {
  /** What the encoder reads, for the help (`the source`, `the context`). */
  reads: string;
  /** `--hidden` default. */
  hidden: number;
  /** `--embedding` default (96). */
  embedding?: number;
  /** `--dropout` default. */
  dropout: number;
  /** Offer `--no-input-feeding` (Luong's input feeding is on otherwise). */
  inputFeeding?: boolean;
};

/** The flags {@link addSeq2SeqModelOptions} adds, as commander parses them. */
export type Seq2SeqModelFlags = {
  cell: 'gru' | 'lstm';
  attention: Seq2SeqAttention;
  layers: number;
  hidden: number;
  embedding: number;
  bidirectional?: boolean;
  /** Present when the spec offers `--no-input-feeding`. */
  inputFeeding?: boolean;
  dropout: number;
  labelSmoothing: number;
};

/** The model settings a resumed run takes from the run itself (flag attributes, for {@link refuseOptions}). */
export const SEQ2SEQ_MODEL_SETTINGS = [
  'cell',
  'attention',
  'layers',
  'hidden',
  'embedding',
  'bidirectional',
  'inputFeeding',
  'dropout',
  'labelSmoothing',
] as const;

/**
 * The encoder-decoder options of an app's `train`: `--cell`, `--attention`, `--layers`,
 * `--hidden`, `--embedding`, `--bidirectional`, optionally `--no-input-feeding`, `--dropout`
 * and `--label-smoothing`, with the app's defaults.
 */
export function addSeq2SeqModelOptions(command: Command, spec: Seq2SeqModelSpec): Command {
  command
    .addOption(new Option('--cell <type>', 'recurrent cell').choices(['gru', 'lstm']).default('gru'))
    .addOption(
      new Option('--attention <kind>', `attention over ${spec.reads}`).choices(ATTENTION_CHOICES).default('bahdanau'),
    )
    .option('--layers <n>', 'recurrent layers of encoder and decoder', integerOption(1, 4), 1)
    .option('--hidden <n>', 'units per layer', integerOption(1), spec.hidden)
    .option('--embedding <n>', 'token embedding size', integerOption(1), spec.embedding ?? 96)
    .option('--bidirectional', `read ${spec.reads} both ways`);
  if (spec.inputFeeding) {
    command.option('--no-input-feeding', 'do not feed the last attentional vector into the next step');
  }
  return command
    .option(
      '--dropout <x>',
      'dropout on embeddings, between layers and on the attentional vector',
      numberOption(0, 0.9),
      spec.dropout,
    )
    .option('--label-smoothing <x>', 'label smoothing of the loss', numberOption(0, 0.5), 0);
}
