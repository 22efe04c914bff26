import type { UnitValues } from '../protocol.js';
import { byId } from './dom.js';
import { showError } from './error-panel.js';
import { pageUrl, TEXT_CHECKPOINT_URL } from './text-tab.js';
import type { WorkerClient } from './worker-client.js';

/** Colours each character's span by one unit's activation (the colours the worker computed). */
function colourBy(spans: HTMLSpanElement[], unit: UnitValues): void {
  spans.forEach((span, i) => {
    const value = unit.values[i] ?? 0;
    const [red, green, blue] = unit.colours.subarray(i * 3, i * 3 + 3);
    span.style.backgroundColor = `rgb(${red}, ${green}, ${blue})`;
    span.title = `${unit.name}: ${value.toFixed(3)}`;
  });
}

/**
 * The Explorer tab: traces the text model over the text (@seqgen/interpret's
 * `traceLanguageModel` in the worker) and recolours the text by the unit picked.
 */
export function setUpExplorerTab(worker: WorkerClient): void {
  const traceButton = byId('explorer-trace', HTMLButtonElement);
  const select = byId('explorer-unit', HTMLSelectElement);
  const status = byId('explorer-status', HTMLSpanElement);
  const view = byId('explorer-text-view', HTMLParagraphElement);
  let units: UnitValues[] = [];
  let spans: HTMLSpanElement[] = [];

  traceButton.addEventListener('click', () => {
    const text = byId('explorer-text', HTMLTextAreaElement).value;
    traceButton.disabled = true;
    status.textContent = 'tracing…';
    worker.submit({ type: 'trace', url: pageUrl(TEXT_CHECKPOINT_URL), text }, (reply) => {
      traceButton.disabled = false;
      if (reply.type === 'traced') {
        units = reply.units;
        spans = reply.tokens.map((token) => {
          const span = document.createElement('span');
          span.textContent = token;
          return span;
        });
        view.replaceChildren(...spans);
        select.replaceChildren(
          ...units.map((unit, i) => {
            const option = document.createElement('option');
            option.value = String(i);
            option.textContent = unit.name;
            return option;
          }),
        );
        select.disabled = false;
        status.textContent = `${units.length} units over ${spans.length} characters`;
        const first = units[0];
        if (first) colourBy(spans, first);
      } else if (reply.type === 'error') {
        showError(`Explorer: ${reply.message}`);
        status.textContent = 'failed';
      }
    });
  });

  select.addEventListener('change', () => {
    const unit = units[Number(select.value)];
    if (unit) colourBy(spans, unit);
  });
}
