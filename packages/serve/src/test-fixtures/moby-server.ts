import { fileURLToPath } from 'node:url';
import { initBackend } from '@seqgen/core';
import { type LoadedServedModel, loadServedModel } from '../load-served-model.js';
import { type RunningServer, type ServerOptions, startServer } from '../server.js';

/** The text app's shipped checkpoint: a real character LSTM (1×256) trained on Moby-Dick. */
export const MOBY_CHECKPOINT = fileURLToPath(
  new URL('../../../../apps/text/pretrained/moby-char-lstm', import.meta.url),
);

/** Loads the shipped checkpoint once per test file. */
export async function loadMoby(): Promise<LoadedServedModel> {
  await initBackend();
  return loadServedModel(MOBY_CHECKPOINT);
}

/** A server for `served` on a free loopback port. */
export function serve(served: LoadedServedModel, options: Omit<ServerOptions, 'models'> = {}): Promise<RunningServer> {
  return startServer({ models: [served], ...options });
}

/** POSTs JSON (or raw text) with Node's fetch and returns the status and parsed body. */
export async function post(
  url: string,
  body: unknown,
  init: RequestInit = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
