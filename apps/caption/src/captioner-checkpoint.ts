import { resolveCheckpoint } from '@seqgen/app-kit';
import { CheckpointError } from '@seqgen/core';
import { Captioner } from '@seqgen/models';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';

/** The app's shipped checkpoint (trained by scripts/pretrain.sh). */
export const PRETRAINED_CHECKPOINT = decodeURIComponent(
  new URL('../pretrained/scenes-attention', import.meta.url).pathname,
);

/** What `train` records in a checkpoint's metadata. */
export type CaptionerMetadata = {
  app: '@seqgen/app-caption';
  /** Where the encoder started: the shipped Fashion-MNIST CNN or random weights. */
  encoderInit: 'pretrained' | 'scratch';
  /** The encoder's learning-rate factor (0: frozen). */
  encoderLr: number;
  /** Seed and sizes of the training scenes. */
  data: { seed: number; train: number; valid: number };
  steps: number;
  seconds: number;
  cpuSeconds: number;
  backend: string;
};

/** A loaded captioner with its word tokenizer and metadata. */
export type LoadedCaptionerRun = {
  model: Captioner;
  tokenizer: SeqgenTokenizer;
  metadata: Partial<CaptionerMetadata>;
  path: string;
};

/** Loads a captioner checkpoint (a checkpoint folder, a run folder or a `.seqgen` file); refuses one that is not a scene captioner. */
export async function loadCaptioner(path: string, flag = '--checkpoint'): Promise<LoadedCaptionerRun> {
  const resolved = resolveCheckpoint(path, flag);
  const loaded = await Captioner.load(resolved);
  const [H, W, C] = loaded.model.imageShape;
  if (!loaded.tokenizer || H !== W || C !== 1) {
    loaded.model.dispose();
    throw new CheckpointError(
      'invalid-manifest',
      resolved,
      `is not a scene captioner (it needs a word tokenizer and square gray images; it reads ${H}×${W}×${C})`,
    );
  }
  return {
    model: loaded.model,
    tokenizer: loaded.tokenizer,
    metadata: loaded.metadata as Partial<CaptionerMetadata>,
    path: resolved,
  };
}
