import { basename, resolve } from 'node:path';
import type { Output } from '@seqgen/app-kit';
import { type RunningServer, startServer } from '@seqgen/serve';
import { loadLanguageModel } from './checkpoint.js';

export interface ServeOptions {
  checkpoint: string;
  port: number;
  host: string;
  maxBatch: number;
  maxQueue: number;
  output: Output;
}

/**
 * Serves a text checkpoint over the OpenAI-compatible API of `@seqgen/serve`
 * under the checkpoint folder's name, and says where. Runs until the process
 * is stopped (Ctrl-C exits, and with it the server).
 */
export async function serveCheckpoint(options: ServeOptions): Promise<RunningServer> {
  const loaded = await loadLanguageModel(options.checkpoint);
  const name = basename(resolve(options.checkpoint));
  const server = await startServer({
    models: [{ name, model: loaded.model, tokenizer: loaded.tokenizer }],
    port: options.port,
    host: options.host,
    maxBatch: options.maxBatch,
    maxQueue: options.maxQueue,
  });
  options.output.info(`${name}: POST /completions and /chat/completions, GET /models (OpenAI's API)`);
  options.output.printJson({ model: name, url: server.url, port: server.port, host: server.host });
  return server;
}
