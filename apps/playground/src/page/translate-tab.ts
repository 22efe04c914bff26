import type { TranslatedLine, TranslateSettings } from '../protocol.js';
import { drawAttentionMap } from './attention-map.js';
import { numberControl } from './control-values.js';
import { byId } from './dom.js';
import { showError } from './error-panel.js';
import { pageUrl } from './text-tab.js';
import type { WorkerClient } from './worker-client.js';

/** The shipped English→German GRU with Bahdanau attention (apps/translate), served beside the page. */
export const TRANSLATE_CHECKPOINT_URL = 'checkpoints/en-de-gru-attention/';

function translateSettings(text: string): TranslateSettings {
  const beams = numberControl('translate-beams', { min: 1, max: 16, integer: true });
  return {
    url: pageUrl(TRANSLATE_CHECKPOINT_URL),
    text,
    beams,
    nBest: Math.min(beams, numberControl('translate-n-best', { min: 1, max: 16, integer: true })),
    lengthPenalty: numberControl('translate-length-penalty', { min: 0, max: 5 }),
  };
}

/** One line's result: the source, the n-best list with scores, and the best candidate's attention map. */
function lineView(line: TranslatedLine): HTMLElement {
  const view = document.createElement('article');
  view.className = 'translation';
  const source = document.createElement('p');
  source.className = 'translation-source';
  source.textContent = line.truncated
    ? `${line.source} (cut to the first ${line.sourceTokens.length} tokens)`
    : line.source;
  const candidates = document.createElement('ol');
  candidates.className = 'n-best';
  for (const candidate of line.candidates) {
    const item = document.createElement('li');
    const text = document.createElement('span');
    text.className = 'candidate';
    text.textContent = candidate.text === '' ? '(empty)' : candidate.text;
    const score = document.createElement('span');
    score.className = 'score';
    score.textContent = ` ${candidate.score.toFixed(3)}`;
    item.append(text, score);
    candidates.append(item);
  }
  const map = document.createElement('canvas');
  map.className = 'attention-map';
  drawAttentionMap(map, line.sourceTokens, line.targetTokens, line.attention);
  view.append(source, candidates, map);
  return view;
}

/**
 * The Translate tab: English lines in, German out from the shipped encoder–decoder (greedy or
 * beam search with an n-best list), and the attention of the best translation as a heat map.
 */
export function setUpTranslateTab(worker: WorkerClient): void {
  const button = byId('translate-run', HTMLButtonElement);
  const status = byId('translate-status', HTMLSpanElement);
  const output = byId('translate-output', HTMLDivElement);

  button.addEventListener('click', () => {
    let settings: TranslateSettings;
    try {
      settings = translateSettings(byId('translate-text', HTMLTextAreaElement).value);
    } catch (error) {
      showError((error as Error).message);
      return;
    }
    button.disabled = true;
    status.textContent = 'translating…';
    status.dataset.state = 'running';
    const started = performance.now();
    worker.submit({ type: 'translate', settings }, (reply) => {
      button.disabled = false;
      if (reply.type === 'translated') {
        output.replaceChildren(...reply.lines.map(lineView));
        const seconds = (performance.now() - started) / 1000;
        status.textContent = `${reply.lines.length} line${reply.lines.length === 1 ? '' : 's'} in ${seconds.toFixed(1)} s (beam ${settings.beams})`;
        status.dataset.state = 'done';
      } else if (reply.type === 'error') {
        showError(`Translation: ${reply.message}`);
        status.textContent = 'failed';
        status.dataset.state = 'failed';
      }
    });
  });
}
