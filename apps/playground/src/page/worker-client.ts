import type { BackendName, WorkerReply, WorkerRequest } from '../protocol.js';

/** Receives the replies of one job; the last is its result or an `error`. */
export type JobListener = (reply: WorkerReply) => void;

type JobRequest = Exclude<WorkerRequest, { type: 'init' } | { type: 'stop' }>;
/** A job request without its id (the client numbers jobs). */
export type NewJob = JobRequest extends infer R ? (R extends JobRequest ? Omit<R, 'id'> : never) : never;

/**
 * The page's side of the generation worker: numbers jobs, routes each reply to its job's
 * listener, and turns a crash of the worker itself into an error for every job still open.
 */
export class WorkerClient {
  private readonly worker: Worker;
  private readonly listeners = new Map<number, JobListener>();
  private nextId = 1;

  /** `onGlobal` hears replies that belong to no job: backend start-up and worker crashes. */
  constructor(private readonly onGlobal: (reply: WorkerReply) => void) {
    this.worker = new Worker(new URL('../worker.ts', import.meta.url), { type: 'module' });
    this.worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => this.route(event.data));
    this.worker.addEventListener('error', (event) =>
      this.crash(`the generation worker crashed: ${event.message || 'it could not start'}`),
    );
    this.worker.addEventListener('messageerror', () =>
      this.crash('the generation worker sent a message that could not be read'),
    );
  }

  /** Starts tfjs in the worker on `backend` (webgpu and webgl fall back to wasm, wasm to cpu, each with a notice). */
  start(backend: BackendName): void {
    this.post({ type: 'init', backend });
  }

  /** Sends a job; returns its id (for {@link stop}). */
  submit(job: NewJob, listener: JobListener): number {
    const id = this.nextId++;
    this.listeners.set(id, listener);
    this.post({ ...job, id } as WorkerRequest);
    return id;
  }

  /** Asks the worker to stop job `id` at its next token or step. */
  stop(id: number): void {
    this.post({ type: 'stop', id });
  }

  private post(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }

  private route(reply: WorkerReply): void {
    const id = 'id' in reply ? reply.id : null;
    const listener = id === null ? undefined : this.listeners.get(id);
    if (!listener) {
      this.onGlobal(reply);
      return;
    }
    if (
      reply.type === 'error' ||
      reply.type === 'generated' ||
      reply.type === 'trained' ||
      reply.type === 'composed' ||
      reply.type === 'traced' ||
      reply.type === 'translated'
    ) {
      this.listeners.delete(id as number);
    }
    listener(reply);
  }

  private crash(message: string): void {
    const open = [...this.listeners.entries()];
    this.listeners.clear();
    for (const [id, listener] of open) listener({ type: 'error', id, message });
    if (open.length === 0) this.onGlobal({ type: 'error', id: null, message });
  }
}
