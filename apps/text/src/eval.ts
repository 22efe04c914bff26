import { loadLanguageModel } from './checkpoint.js';
import { countChars, readCorpus, splitHeldOut } from './corpus.js';
import { type HeldOutMetrics, heldOutMetrics } from './evaluate.js';

export interface EvalOptions {
  checkpoint: string;
  corpus: string;
  /** Evaluate the whole file instead of its held-out tail (the last 10%, the part `train` never sees). */
  whole?: boolean;
}

export async function evaluateCheckpoint(options: EvalOptions): Promise<HeldOutMetrics> {
  const { model, tokenizer } = await loadLanguageModel(options.checkpoint);
  try {
    const text = readCorpus(options.corpus);
    const target = options.whole ? text : splitHeldOut(text).heldOut;
    return await heldOutMetrics(model, tokenizer.encode(target), countChars(target));
  } finally {
    model.dispose();
  }
}
