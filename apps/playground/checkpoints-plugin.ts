// Serves the shipped checkpoints under /checkpoints/ in `vite dev` and copies them into dist/ on
// `vite build`, read from the apps' pretrained folders by path (never duplicated in git).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { Plugin } from 'vite';

/** The checkpoints the playground loads, by the folder name they are served under. */
export const SHIPPED_CHECKPOINTS: Readonly<Record<string, string>> = {
  'moby-char-lstm': resolve(import.meta.dirname, '../text/pretrained/moby-char-lstm'),
  'openmsx-chord-lstm': resolve(import.meta.dirname, '../music/pretrained/openmsx-chord-lstm'),
  'en-de-gru-attention': resolve(import.meta.dirname, '../translate/pretrained/en-de-gru-attention'),
};

/** Only what a checkpoint needs to load: its manifest and its weight shards (no logs or plots). */
function checkpointFiles(folder: string): string[] {
  if (!existsSync(join(folder, 'checkpoint.json'))) {
    throw new Error(`shipped checkpoint ${folder} has no checkpoint.json: run its app's pretrain script`);
  }
  return readdirSync(folder).filter((name) => name === 'checkpoint.json' || extname(name) === '.bin');
}

/** The Vite plugin: a dev-server route and build assets for {@link SHIPPED_CHECKPOINTS}. */
export function shippedCheckpoints(): Plugin {
  return {
    name: 'seqgen-shipped-checkpoints',
    configureServer(server) {
      server.middlewares.use('/checkpoints/', (request, response) => {
        const [name, file, ...rest] = decodeURIComponent((request.url ?? '').split('?')[0] ?? '')
          .replace(/^\//, '')
          .split('/');
        const folder = name ? SHIPPED_CHECKPOINTS[name] : undefined;
        if (!folder || !file || rest.length > 0 || !checkpointFiles(folder).includes(file)) {
          // A 404, as static hosting answers: Vite's fallback would serve index.html instead.
          response.statusCode = 404;
          response.end();
          return;
        }
        response.setHeader('content-type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
        response.end(readFileSync(join(folder, file)));
      });
    },
    generateBundle() {
      for (const [name, folder] of Object.entries(SHIPPED_CHECKPOINTS)) {
        for (const file of checkpointFiles(folder)) {
          this.emitFile({
            type: 'asset',
            fileName: `checkpoints/${name}/${file}`,
            source: readFileSync(join(folder, file)),
          });
        }
      }
    },
  };
}
