import { ConfigError } from '@seqgen/base';
import type { TrainSettings } from '../protocol.js';
import { numberControl } from './control-values.js';
import { byId } from './dom.js';
import { showError } from './error-panel.js';
import { LossChart } from './loss-chart.js';
import { SAMPLE_TRAINING_TEXT } from './sample-training-text.js';
import type { WorkerClient } from './worker-client.js';

/** Characters of pasted text the tab trains on at most (a minute sees only a few hundred thousand). */
export const MAX_TRAINING_CHARACTERS = 2_000_000;
/** Truncated-BPTT length and lanes per batch: small enough for a step of a few tens of ms on wasm. */
const SEQ_LENGTH = 32;
const BATCH_SIZE = 16;

function trainSettings(): TrainSettings {
  const text = byId('train-text', HTMLTextAreaElement).value;
  // Enough for one batch: every lane needs a full chunk of SEQ_LENGTH steps plus the offset.
  const needed = BATCH_SIZE * SEQ_LENGTH + SEQ_LENGTH;
  if (text.length < needed) {
    throw new ConfigError('Training text', `needs at least ${needed} characters, got ${text.length}`);
  }
  if (text.length > MAX_TRAINING_CHARACTERS) {
    throw new ConfigError('Training text', `holds at most ${MAX_TRAINING_CHARACTERS} characters, got ${text.length}`);
  }
  return {
    text,
    seconds: numberControl('train-seconds', { min: 1, max: 3600 }),
    hiddenSize: numberControl('train-hidden', { min: 8, max: 512, integer: true }),
    learningRate: numberControl('train-rate', { min: 1e-5, max: 1 }),
    seed: numberControl('train-seed', { min: 0, max: 2 ** 31 - 1, integer: true }),
    seqLength: SEQ_LENGTH,
    batchSize: BATCH_SIZE,
  };
}

/**
 * The Train tab: trains a small character LSTM in the worker on the pasted text with a live loss
 * curve; the model it leaves is the Text tab's "Trained on the Train tab" source.
 */
export function setUpTrainTab(worker: WorkerClient): void {
  const textArea = byId('train-text', HTMLTextAreaElement);
  const startButton = byId('train-start', HTMLButtonElement);
  const stopButton = byId('train-stop', HTMLButtonElement);
  const status = byId('train-status', HTMLSpanElement);
  const chart = new LossChart(byId('loss-chart', HTMLCanvasElement));
  if (textArea.value === '') textArea.value = SAMPLE_TRAINING_TEXT;
  let job: number | undefined;

  const finish = (state: string, message: string) => {
    job = undefined;
    startButton.disabled = false;
    stopButton.disabled = true;
    status.textContent = message;
    status.dataset.state = state;
  };

  startButton.addEventListener('click', () => {
    let settings: TrainSettings;
    try {
      settings = trainSettings();
    } catch (error) {
      showError((error as Error).message);
      return;
    }
    chart.reset();
    startButton.disabled = true;
    stopButton.disabled = false;
    status.dataset.state = 'training';
    status.textContent = 'starting…';
    let first: number | undefined;
    job = worker.submit({ type: 'train', settings }, (reply) => {
      if (reply.type === 'loss') {
        first ??= reply.loss;
        chart.add(reply.loss);
        status.textContent = `step ${reply.step} · loss ${chart.recentMean().toFixed(3)} (started at ${first.toFixed(3)})`;
      } else if (reply.type === 'trained') {
        finish(
          'done',
          `trained ${reply.steps} steps on ${reply.vocabulary} distinct characters · loss ${chart.recentMean().toFixed(3)} (started at ${(first ?? Number.NaN).toFixed(3)}) · generate from it on the Text tab`,
        );
      } else if (reply.type === 'error') {
        showError(`Training: ${reply.message}`);
        finish('failed', 'failed');
      }
    });
  });

  stopButton.addEventListener('click', () => {
    if (job !== undefined) worker.stop(job);
    stopButton.disabled = true;
  });
}
