import { SeqgenError } from '@seqgen/core';
import { type AnyCodec, modelFromCheckpoint, Seq2Seq } from '@seqgen/models';
import { resolveCheckpoint } from './checkpoint-path.js';
import { InputError } from './errors.js';

/** An encoder-decoder checkpoint read by {@link loadSeq2SeqCheckpoint}. */
export type Seq2SeqCheckpoint = {
  model: Seq2Seq;
  /** The checkpoint's named preprocessors (`source`, `target`), rebuilt from it. */
  preprocessors: Record<string, AnyCodec>;
  /** What the app's `train` recorded (unchecked: the app reads it with its own defaults). */
  metadata: Record<string, unknown>;
  /** The checkpoint actually read (a run folder's `best/` or `last/`, or the path itself). */
  path: string;
};

/** Which app asks {@link loadSeq2SeqCheckpoint}, for its messages. */
export type Seq2SeqCheckpointOptions = {
  /** The binary (`seqgen-translate`): "… needs an encoder-decoder checkpoint written by `<cli>` train". */
  cli: string;
  /** The option that named the path (default `--checkpoint`). */
  flag?: string;
  /** What a model of another type is not, added to the message (`a translation model`). */
  notA?: string;
};

/**
 * Loads the encoder-decoder checkpoint that `path` names (a checkpoint folder or file, or a run
 * folder: see {@link resolveCheckpoint}). A missing or damaged checkpoint, and one that holds
 * another kind of model (a text language model, say), are each an {@link InputError} (exit 3)
 * that says what is wrong; nothing stays allocated then.
 */
export async function loadSeq2SeqCheckpoint(
  path: string,
  options: Seq2SeqCheckpointOptions,
): Promise<Seq2SeqCheckpoint> {
  const resolved = resolveCheckpoint(path, options.flag ?? '--checkpoint');
  let loaded: Awaited<ReturnType<typeof modelFromCheckpoint>>;
  try {
    loaded = await modelFromCheckpoint(resolved);
  } catch (error) {
    if (error instanceof SeqgenError) {
      throw new InputError(`cannot load checkpoint ${path}: ${error.message}`, path, { cause: error });
    }
    throw error;
  }
  const { model, preprocessors, metadata } = loaded;
  if (!(model instanceof Seq2Seq)) {
    const type = model.getConfig().type;
    model.dispose();
    const not = options.notA && type !== 'seq2seq' ? ` (not ${options.notA})` : '';
    throw new InputError(
      `checkpoint ${path} holds a model of type "${type}"${not}: ` +
        `${options.cli} needs an encoder-decoder checkpoint written by ${options.cli} train`,
      path,
    );
  }
  return {
    model,
    preprocessors,
    metadata: metadata as Record<string, unknown>,
    path: resolved,
  };
}
