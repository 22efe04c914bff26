import { byId } from './dom.js';

/** Backends the page offers: wasm (the default: small recurrent models run a token fastest there), WebGL, cpu. */
const CHOICES = ['wasm', 'webgl', 'cpu'] as const;
/** One of {@link CHOICES}. */
export type BackendChoice = (typeof CHOICES)[number];

/**
 * The backend named by `?backend=` (default wasm), shown in the header's selector; picking another
 * reloads the page with it, since tfjs keeps one backend per worker.
 */
export function setUpBackendChoice(): BackendChoice {
  const asked = new URLSearchParams(location.search).get('backend');
  const choice = CHOICES.find((c) => c === asked) ?? 'wasm';
  const select = byId('backend-choice', HTMLSelectElement);
  select.value = choice;
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('backend', select.value);
    location.assign(url.href);
  });
  return choice;
}
