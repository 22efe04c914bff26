import type { BackendName } from '../protocol.js';
import { byId } from './dom.js';

/** Backends the page offers: wasm (the default: small recurrent models run a token fastest there), WebGPU, WebGL, cpu. */
const CHOICES: readonly BackendName[] = ['wasm', 'webgpu', 'webgl', 'cpu'];

/**
 * The backend named by `?backend=` (default wasm), shown in the header's selector; picking another
 * reloads the page with it, since tfjs keeps one backend per worker.
 */
export function setUpBackendChoice(): BackendName {
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
