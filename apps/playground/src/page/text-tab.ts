import type { ModelSource, SamplerSettings } from '../protocol.js';
import { numberControl } from './control-values.js';
import { byId } from './dom.js';
import { showError } from './error-panel.js';
import type { WorkerClient } from './worker-client.js';

/** The shipped Moby-Dick character LSTM, served beside the page. */
export const TEXT_CHECKPOINT_URL = 'checkpoints/moby-char-lstm/';

function samplerSettings(): SamplerSettings {
  const topK = numberControl('text-top-k', { min: 0, max: 100_000, integer: true });
  return {
    temperature: numberControl('text-temperature', { min: 0, max: 10 }),
    topK: topK === 0 ? null : topK,
    topP: numberControl('text-top-p', { min: 0.01, max: 1 }),
    repetitionPenalty: numberControl('text-repetition', { min: 0.1, max: 10 }),
    seed: numberControl('text-seed', { min: 0, max: 2 ** 31 - 1, integer: true }),
    maxNewTokens: numberControl('text-length', { min: 1, max: 5000, integer: true }),
  };
}

/** A URL relative to the page, made absolute (the worker's own URL lies under assets/). */
export function pageUrl(url: string): string {
  return new URL(url, location.href).href;
}

function modelSource(): ModelSource {
  const choice = byId('text-source', HTMLSelectElement).value;
  if (choice === 'trained') return { kind: 'trained' };
  if (choice === 'url') return { kind: 'url', url: pageUrl(byId('text-url', HTMLInputElement).value.trim()) };
  return { kind: 'url', url: pageUrl(TEXT_CHECKPOINT_URL) };
}

/** The Text tab: prompt and sampler controls, output streamed token by token, Stop mid-stream. */
export function setUpTextTab(worker: WorkerClient): void {
  const generateButton = byId('text-generate', HTMLButtonElement);
  const stopButton = byId('text-stop', HTMLButtonElement);
  const output = byId('text-output', HTMLPreElement);
  const status = byId('text-status', HTMLSpanElement);
  const source = byId('text-source', HTMLSelectElement);
  let job: number | undefined;

  source.addEventListener('change', () => {
    byId('text-url-label', HTMLLabelElement).hidden = source.value !== 'url';
  });

  const finish = (message: string) => {
    job = undefined;
    generateButton.disabled = false;
    stopButton.disabled = true;
    status.textContent = message;
    output.dataset.state = message.startsWith('stopped') ? 'stopped' : message.startsWith('failed') ? 'failed' : 'done';
  };

  generateButton.addEventListener('click', () => {
    let settings: SamplerSettings;
    try {
      settings = samplerSettings();
    } catch (error) {
      showError((error as Error).message);
      return;
    }
    const prompt = byId('text-prompt', HTMLTextAreaElement).value;
    output.textContent = prompt;
    output.dataset.state = 'streaming';
    status.textContent = 'loading the model…';
    generateButton.disabled = true;
    stopButton.disabled = false;
    let tokens = 0;
    job = worker.submit({ type: 'generate', source: modelSource(), prompt, settings }, (reply) => {
      if (reply.type === 'token') {
        tokens++;
        output.textContent += reply.text;
        status.textContent = `${tokens} characters…`;
      } else if (reply.type === 'generated') {
        finish(reply.stopped ? `stopped after ${reply.tokens} characters` : `${reply.tokens} characters`);
      } else if (reply.type === 'error') {
        showError(`Text generation: ${reply.message}`);
        finish('failed');
      }
    });
  });

  stopButton.addEventListener('click', () => {
    if (job !== undefined) worker.stop(job);
    stopButton.disabled = true;
  });
}
