import { RecurrentLanguageModel } from '@seqgen/models';
import { CharTokenizer } from '@seqgen/tokenizers';
import { StreamBatcher, Trainer } from '@seqgen/trainer';
import type { TrainSettings } from '../protocol.js';
import { keepTrainedModel } from './language-models.js';

/** What a training run did. */
export type TrainingOutcome = { steps: number; vocabulary: number };

/** Steps far beyond what a minute allows: the clock (or Stop) ends training, not the step count. */
const STEP_CEILING = 1_000_000;

/**
 * Trains a small character LSTM on the pasted text for `settings.seconds` (or until `signal` is
 * aborted), reporting every step's loss, and keeps the model for the Text tab's "trained" source.
 */
export async function trainOnText(
  settings: TrainSettings,
  signal: AbortSignal,
  onLoss: (step: number, loss: number) => void,
): Promise<TrainingOutcome> {
  const tokenizer = CharTokenizer.fromText(settings.text, { specialTokens: ['<unk>'] });
  const data = new StreamBatcher({
    documents: [tokenizer.encode(settings.text)],
    batchSize: settings.batchSize,
    seqLength: settings.seqLength,
    seed: settings.seed,
  });
  const model = new RecurrentLanguageModel({
    vocabSize: tokenizer.vocabSize,
    embeddingSize: 32,
    hiddenSize: settings.hiddenSize,
    cell: 'lstm',
    seed: settings.seed,
  });
  const deadline = performance.now() + settings.seconds * 1000;
  let steps = 0;
  const trainer = new Trainer(
    model,
    {
      optimizer: { type: 'adam', learningRate: settings.learningRate },
      maxSteps: STEP_CEILING,
      progressBar: false,
      seed: settings.seed,
    },
    {
      onStep: (metrics) => {
        steps++;
        onLoss(steps, metrics.loss);
        if (signal.aborted || performance.now() >= deadline) trainer.stop();
      },
    },
  );
  try {
    await trainer.fit(data);
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    trainer.dispose();
  }
  keepTrainedModel({ model, tokenizer });
  return { steps, vocabulary: tokenizer.vocabSize };
}
