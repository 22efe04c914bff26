// The generation worker: tfjs and every model live here, so the page never freezes. It answers
// each job with replies carrying the job's id, and every failure with an `error` reply.
import type { WorkerReply, WorkerRequest } from './protocol.js';
import { startBackend } from './worker/backend.js';
import { trainOnText } from './worker/browser-training.js';
import { composeMusic } from './worker/music-generation.js';
import { generateText } from './worker/text-generation.js';
import { translateText } from './worker/translation.js';
import { traceUnits } from './worker/unit-trace.js';

const scope = self as unknown as {
  postMessage(reply: WorkerReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
};
const reply = (message: WorkerReply) => scope.postMessage(message);

/** Stop handles of the jobs still running, by id. */
const running = new Map<number, AbortController>();
let ready: Promise<unknown> | undefined;

function describe(error: unknown): string {
  if (error instanceof Error)
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}

async function run(request: Exclude<WorkerRequest, { type: 'init' } | { type: 'stop' }>): Promise<void> {
  const controller = new AbortController();
  running.set(request.id, controller);
  const { id } = request;
  try {
    await ready;
    if (request.type === 'generate') {
      const outcome = await generateText(request.source, request.prompt, request.settings, controller.signal, (text) =>
        reply({ type: 'token', id, text }),
      );
      reply({ type: 'generated', id, ...outcome });
    } else if (request.type === 'train') {
      const outcome = await trainOnText(request.settings, controller.signal, (step, loss) =>
        reply({ type: 'loss', id, step, loss }),
      );
      reply({ type: 'trained', id, ...outcome });
    } else if (request.type === 'compose') {
      reply({ type: 'composed', id, ...(await composeMusic(request.settings, controller.signal)) });
    } else if (request.type === 'translate') {
      reply({ type: 'translated', id, lines: await translateText(request.settings) });
    } else {
      reply({ type: 'traced', id, ...(await traceUnits(request.url, request.text)) });
    }
  } catch (error) {
    reply({ type: 'error', id, message: describe(error) });
  } finally {
    running.delete(id);
  }
}

scope.addEventListener('message', (event) => {
  const request = event.data;
  if (request.type === 'init') {
    ready = startBackend(request.backend).then(
      (started) => reply({ type: 'ready', ...started }),
      (error: unknown) =>
        reply({ type: 'error', id: null, message: `no TensorFlow.js backend started: ${describe(error)}` }),
    );
  } else if (request.type === 'stop') {
    running.get(request.id)?.abort();
  } else {
    void run(request);
  }
});
