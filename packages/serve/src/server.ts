import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, type SequenceModel } from '@seqgen/core';
import { type BatcherStats, ContinuousBatcher } from '@seqgen/samplers';
import * as tf from '@tensorflow/tfjs';
import { ApiError } from './api-error.js';
import { type ChoiceEvent, startChoices } from './choice-stream.js';
import { readJsonBody } from './read-json-body.js';
import { type ParsedRequest, parseRequest } from './request-fields.js';
import type { ServedModel } from './served-model.js';

/** Settings of {@link startServer}; every limit has a default. */
export interface ServerOptions {
  /** The models to serve (at least one; distinct names). */
  // `any`: models of different state and condition types are served side by side.
  models: readonly ServedModel<any, any>[];
  /** TCP port; `0` (default) picks a free one (see `RunningServer.port`). */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1` (loopback only). */
  host?: string;
  /** Rows decoding together per model (continuous batching). Default `32`. */
  maxBatch?: number;
  /** Requests waiting per model beyond `maxBatch`; more get 429. Default `256`. */
  maxQueue?: number;
  /** Largest request body in bytes; larger gets 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Largest `max_tokens`. Default `4096`. */
  maxTokens?: number;
  /** Longest prompt in tokens; longer gets 400 `context_length_exceeded`. Default `8192`. */
  maxPromptTokens?: number;
  /** Largest `n`. Default `8`. */
  maxN?: number;
  /** Prompt steps per decoding step for new requests (see `ContinuousBatcher`). Default `4`. */
  primeStepsPerTick?: number;
  /**
   * Milliseconds a client may take to send its whole request (headers and
   * body) before it gets 408 and is disconnected: slow-loris protection.
   * Default `10000`.
   */
  requestTimeoutMs?: number;
}

/** Counts a running server keeps (also served at `GET /healthz`). */
export interface ServerStats {
  /** Responses by HTTP status; `499` counts requests whose client left before the end. */
  statuses: Record<string, number>;
  /** The batcher of each model, by name. */
  models: Record<string, BatcherStats>;
  /** `tf.memory().numTensors` now. */
  tensors: number;
  /** Resident memory of the process in bytes. */
  rssBytes: number;
}

/** A listening server. */
export interface RunningServer {
  /** The API's base URL, e.g. `http://127.0.0.1:8080/v1` (what OpenAI clients take as `baseURL`). */
  url: string;
  /** The interface it listens on. */
  host: string;
  /** The TCP port it listens on (the free one picked for `port: 0`). */
  port: number;
  /** Node's server, for anything else. */
  server: Server;
  /** Counts by status, batcher stats, tensors and RSS now. */
  stats(): ServerStats;
  /** Stops listening, cancels every request in flight and frees its tensors. The models are not disposed. */
  close(): Promise<void>;
}

interface Entry {
  served: ServedModel<unknown, unknown>;
  batcher: ContinuousBatcher<unknown, unknown>;
  created: number;
}

/**
 * Starts an OpenAI-compatible HTTP server (Node's own `http`) for seqgen
 * models: `POST /v1/completions`, `POST /v1/chat/completions` (both with
 * `stream: true` server-sent events), `GET /v1/models`, `GET /v1/models/{id}`
 * and `GET /healthz`. Each model gets a {@link ContinuousBatcher}: concurrent
 * requests share one batched step per token. Errors are OpenAI's error JSON:
 * 400 for a bad or unknown field, malformed JSON or a prompt too long, 404
 * for an unknown model or path, 405 for a wrong method, 408 for a client too
 * slow to send its request, 413 for a body over `maxBodyBytes`, 429 when the
 * queue is full. A client that disconnects cancels its generation (counted
 * as 499) and its state rows are freed.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const limits = {
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    maxTokens: options.maxTokens ?? 4096,
    maxPromptTokens: options.maxPromptTokens ?? 8192,
    maxN: options.maxN ?? 8,
  };
  if (!Array.isArray(options.models) || options.models.length === 0) {
    throw new ConfigError('models', 'serve at least one model');
  }
  const entries = new Map<string, Entry>();
  const started = Math.floor(Date.now() / 1000);
  for (const served of options.models) {
    if (typeof served.name !== 'string' || served.name === '') {
      throw new ConfigError('models[].name', `must be a non-empty string, got ${String(served.name)}`);
    }
    if (entries.has(served.name)) throw new ConfigError('models[].name', `"${served.name}" is served twice`);
    const batcher = new ContinuousBatcher<unknown, unknown>(served.model as SequenceModel<unknown, unknown>, {
      maxBatch: options.maxBatch ?? 32,
      maxQueue: options.maxQueue ?? 256,
      primeStepsPerTick: options.primeStepsPerTick ?? 4,
    });
    entries.set(served.name, { served, batcher, created: served.created ?? started });
  }
  const statuses: Record<string, number> = {};
  const count = (status: number) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
  };
  const stats = (): ServerStats => ({
    statuses: { ...statuses },
    models: Object.fromEntries([...entries].map(([name, e]) => [name, e.batcher.stats()])),
    tensors: tf.memory().numTensors,
    rssBytes: process.memoryUsage().rss,
  });

  const requestTimeout = options.requestTimeoutMs ?? 10_000;
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 60_000),
      // How often Node looks for requests past those timeouts.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, requestTimeout / 4)),
      keepAliveTimeout: 5_000,
    },
    (req, res) => {
      handle(req, res).catch((err) => {
        const error = err instanceof ApiError ? err : new ApiError(500, `internal error: ${(err as Error)?.message}`);
        if (!res.headersSent) sendJson(res, error.status, error.toJSON());
        else res.end();
        count(error.status);
      });
    },
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] as string;
    if (path === '/healthz') {
      onlyMethod(req, 'GET');
      sendJson(res, 200, { status: 'ok', ...stats() });
      return count(200);
    }
    if (path === '/v1/models') {
      onlyMethod(req, 'GET');
      sendJson(res, 200, { object: 'list', data: [...entries.values()].map(modelObject) });
      return count(200);
    }
    if (path.startsWith('/v1/models/')) {
      onlyMethod(req, 'GET');
      sendJson(res, 200, modelObject(findModel(decodeURIComponent(path.slice('/v1/models/'.length)))));
      return count(200);
    }
    const kind = path === '/v1/completions' ? 'completion' : path === '/v1/chat/completions' ? 'chat' : null;
    if (kind === null) throw new ApiError(404, `no route for ${req.method} ${path}`, { code: 'not_found' });
    onlyMethod(req, 'POST');
    const request = parseRequest(await readJsonBody(req, limits.maxBodyBytes), kind, limits);
    const entry = findModel(request.model);
    const controller = new AbortController();
    let finished = false;
    res.on('close', () => {
      if (finished) return;
      controller.abort(new Error('the client disconnected'));
      count(499);
    });
    const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomUUID()}`;
    const head = { id, created: Math.floor(Date.now() / 1000), model: entry.served.name };
    try {
      const choices = startChoices(entry.served, entry.batcher, request, {
        signal: controller.signal,
        maxPromptTokens: limits.maxPromptTokens,
      });
      if (request.stream) await streamResponse(res, request, head, choices);
      else await completeResponse(res, request, head, choices);
      finished = true;
      count(200);
    } catch (err) {
      if (controller.signal.aborted) return; // the client left: nobody to answer
      finished = true;
      throw err;
    }
  }

  function findModel(name: string): Entry {
    const entry = entries.get(name);
    if (!entry) {
      throw new ApiError(404, `The model '${name}' does not exist (served: ${[...entries.keys()].join(', ')})`, {
        param: 'model',
        code: 'model_not_found',
      });
    }
    return entry;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}/v1`,
    host,
    port: address.port,
    server,
    stats,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...entries.values()].map((e) => e.batcher.close()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function modelObject(entry: Entry): Record<string, unknown> {
  return { id: entry.served.name, object: 'model', created: entry.created, owned_by: 'seqgen' };
}

function onlyMethod(req: IncomingMessage, method: string): void {
  if (req.method !== method) {
    throw new ApiError(405, `${req.method} is not allowed here; use ${method}`, { code: 'method_not_allowed' });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

type Head = { id: string; created: number; model: string };

function usage(prompt: number, completion: number) {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

async function completeResponse(
  res: ServerResponse,
  request: ParsedRequest,
  head: Head,
  choices: ReturnType<typeof startChoices>,
): Promise<void> {
  const texts = Array.from({ length: request.n }, () => '');
  const reasons: (string | null)[] = Array.from({ length: request.n }, () => null);
  for await (const event of choices.events) {
    texts[event.index] += event.text;
    if (event.finishReason) reasons[event.index] = event.finishReason;
  }
  const list = texts.map((text, index) =>
    request.kind === 'chat'
      ? { index, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: reasons[index] }
      : { index, text, logprobs: null, finish_reason: reasons[index] },
  );
  sendJson(res, 200, {
    ...head,
    object: request.kind === 'chat' ? 'chat.completion' : 'text_completion',
    choices: list,
    usage: usage(choices.promptTokens, choices.completionTokens()),
  });
}

async function streamResponse(
  res: ServerResponse,
  request: ParsedRequest,
  head: Head,
  choices: ReturnType<typeof startChoices>,
): Promise<void> {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    // Tells nginx not to buffer the stream.
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  const object = request.kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
  const chunk = (choice: Record<string, unknown>) => ({ ...head, object, choices: [choice] });
  if (request.kind === 'chat') {
    // The assistant's role comes first, once per choice, as OpenAI sends it.
    for (let index = 0; index < request.n; index++) {
      send(chunk({ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }));
    }
  }
  const toChoice = (event: ChoiceEvent) =>
    request.kind === 'chat'
      ? {
          index: event.index,
          delta: event.text === '' ? {} : { content: event.text },
          logprobs: null,
          finish_reason: event.finishReason,
        }
      : { index: event.index, text: event.text, logprobs: null, finish_reason: event.finishReason };
  try {
    for await (const event of choices.events) send(chunk(toChoice(event)));
  } catch (err) {
    if (res.destroyed) throw err;
    // Headers are sent: the error goes down the stream, in the same JSON as everywhere else.
    const error = err instanceof ApiError ? err : new ApiError(500, `generation failed: ${(err as Error)?.message}`);
    send(error.toJSON());
  }
  if (request.includeUsage) {
    send({ ...head, object, choices: [], usage: usage(choices.promptTokens, choices.completionTokens()) });
  }
  res.end('data: [DONE]\n\n');
}
