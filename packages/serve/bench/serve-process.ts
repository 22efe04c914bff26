// One server process for the load test: `tsx bench/serve-process.ts <port> <maxBatch>`.
// Prints "ready <url>" once listening.
import { fileURLToPath } from 'node:url';
import { initBackend, WASM_THREADS_ENV } from '@seqgen/core';
import { loadServedModel, startServer } from '../src/index.js';

const [port = '0', maxBatch = '64'] = process.argv.slice(2);
// Token-by-token decoding issues small ops: one wasm thread per process, as the text app does.
await initBackend(process.env[WASM_THREADS_ENV] ? {} : { wasmThreads: 1 });
const checkpoint = fileURLToPath(new URL('../../../apps/text/pretrained/moby-char-lstm', import.meta.url));
const served = await loadServedModel(checkpoint);
const server = await startServer({ models: [served], port: Number(port), maxBatch: Number(maxBatch), maxQueue: 1024 });
console.log(`ready ${server.url}`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
