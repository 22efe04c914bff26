import { parentPort, workerData } from 'node:worker_threads';
import { tokenizerFromJSON } from '@seqgen/tokenizers';

/** What the main thread sends: a piece's sequence number and text. */
type Job = { seq: number; text: string };

// One tokenizer per thread, rebuilt from the JSON the shards' manifest stores.
const tokenizer = tokenizerFromJSON(workerData.tokenizer);
const wide = tokenizer.vocabSize > 65536;

parentPort?.on('message', (job: Job) => {
  try {
    const ids = tokenizer.encode(job.text);
    // Typed arrays travel without copying (transferred), as the dtype the shards store.
    const packed = wide ? Uint32Array.from(ids) : Uint16Array.from(ids);
    parentPort?.postMessage({ seq: job.seq, ids: packed }, [packed.buffer]);
  } catch (error) {
    parentPort?.postMessage({ seq: job.seq, error: error instanceof Error ? error.message : String(error) });
  }
});
