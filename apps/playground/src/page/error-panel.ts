import { byId } from './dom.js';

/** Shows an error in the page's error panel (errors are never only logged). */
export function showError(message: string): void {
  const list = byId('error-list', HTMLUListElement);
  const item = document.createElement('li');
  item.textContent = message;
  list.append(item);
  byId('error-panel', HTMLElement).hidden = false;
}

/** Empties and hides the error panel. */
export function clearErrors(): void {
  byId('error-list', HTMLUListElement).replaceChildren();
  byId('error-panel', HTMLElement).hidden = true;
}

/** Wires the panel's Dismiss button and catches what nothing else did (a failed promise, a thrown handler). */
export function installErrorPanel(): void {
  byId('error-dismiss', HTMLButtonElement).addEventListener('click', clearErrors);
  window.addEventListener('error', (event) => showError(event.message));
  window.addEventListener('unhandledrejection', (event) =>
    showError(event.reason instanceof Error ? event.reason.message : String(event.reason)),
  );
}
