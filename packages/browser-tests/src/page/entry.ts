// The page's module: runs the smoke test on the backend named in the query and leaves its outcome on `window.smoke`.
import { run } from './smoke.js';

const backend = new URLSearchParams(location.search).get('backend') === 'wasm' ? 'wasm' : 'cpu';
(window as unknown as { smoke: Promise<unknown> }).smoke = run(backend).then(
  (result) => ({ ok: true, result }),
  (error: unknown) => ({
    ok: false,
    error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error),
  }),
);
