import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors.js';
import { MANIFEST_FILE } from './format.js';
import { loadCheckpoint } from './load.js';
import { saveCheckpoint } from './save.js';

const kernel = Float32Array.from({ length: 24 }, (_, i) => i / 8 - 1);
const data = {
  config: { type: 'lstm-lm', hidden: 4 },
  preprocessors: { tokenizer: { type: 'char', version: 1, vocab: ['x', 'y'] } },
  weights: { kernel: { dtype: 'float32' as const, shape: [6, 4], data: kernel } },
};

/** Overrides for one URL path: a body to send instead of the file, or a status. */
const overrides = new Map<string, { status?: number; body?: Uint8Array; chunked?: boolean }>();
let root: string;
let server: Server;
let base: string;

async function reason(source: string, options = {}): Promise<string> {
  const error = await loadCheckpoint(source, options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CheckpointError);
  return (error as CheckpointError).reason;
}

describe('checkpoints from URLs (served on loopback with node:http)', () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'seqgen-url-'));
    // 40-byte shards: the folder holds three weight files.
    await saveCheckpoint(join(root, 'lm'), data, { shardBytes: 40 });
    await saveCheckpoint(join(root, 'lm.seqgen'), data);
    server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      const special = overrides.get(path);
      let body: Uint8Array;
      try {
        body = special?.body ?? readFileSync(join(root, path));
      } catch {
        response.writeHead(404).end();
        return;
      }
      if (special?.status) {
        response.writeHead(special.status).end();
        return;
      }
      if (special?.chunked) {
        // No Content-Length: the reader only learns the size while reading.
        response.writeHead(200);
        response.write(body.subarray(0, 16));
        response.end(body.subarray(16));
        return;
      }
      response.writeHead(200, { 'content-length': String(body.byteLength) });
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('loads a folder checkpoint by its URL (files fetched relative to it) and a .seqgen file by its URL', async () => {
    expect(readdirSync(join(root, 'lm')).filter((f) => f.endsWith('.bin'))).toHaveLength(3);
    for (const url of [`${base}/lm`, `${base}/lm/`, new URL(`${base}/lm.seqgen`)]) {
      const loaded = await loadCheckpoint(url);
      expect(loaded.config).toEqual(data.config);
      expect(loaded.preprocessors).toEqual(data.preprocessors);
      expect(loaded.weights.kernel?.data).toEqual(kernel);
    }
  });

  it('refuses what the file reader refuses: missing, tampered, truncated, grown, over the limits, unsafe names', async () => {
    const shards = readdirSync(join(root, 'lm')).filter((f) => f.endsWith('.bin'));
    const shard = `/lm/${shards[0]}`;
    const original = readFileSync(join(root, shard));
    try {
      expect(await reason(`${base}/missing.seqgen`)).toBe('not-found');
      expect(await reason(`${base}/missing/`)).toBe('not-found');
      overrides.set(shard, { status: 500 });
      expect(await reason(`${base}/lm`)).toBe('io');
      const flipped = Uint8Array.from(original);
      flipped[0] = (flipped[0] as number) ^ 1;
      overrides.set(shard, { body: flipped });
      expect(await reason(`${base}/lm`)).toBe('hash-mismatch');
      overrides.set(shard, { body: original.subarray(0, original.byteLength - 4) });
      expect(await reason(`${base}/lm`)).toBe('truncated');
      // A weight file larger than the manifest says: refused by its Content-Length, or while
      // streaming when it has none, never buffered past the manifest's size.
      overrides.set(shard, { body: new Uint8Array(original.byteLength + 4096) });
      expect(await reason(`${base}/lm`)).toBe('corrupt');
      overrides.set(shard, { body: new Uint8Array(original.byteLength + 4096), chunked: true });
      expect(await reason(`${base}/lm`)).toBe('corrupt');
      overrides.set(shard, { body: original, chunked: true });
      expect((await loadCheckpoint(`${base}/lm`)).weights.kernel?.data).toEqual(kernel);
      overrides.delete(shard);
      expect(await reason(`${base}/lm`, { maxManifestBytes: 100 })).toBe('too-large');
      expect(await reason(`${base}/lm.seqgen`, { maxManifestBytes: 100, maxWeightBytes: 10 })).toBe('too-large');
      const manifest = JSON.parse(readFileSync(join(root, 'lm', MANIFEST_FILE), 'utf8'));
      const evil = manifest.weightsManifest[0].paths[0];
      manifest.weightsManifest[0].paths[0] = `../${evil}`;
      manifest.weightFiles[`../${evil}`] = manifest.weightFiles[evil];
      delete manifest.weightFiles[evil];
      overrides.set(`/lm/${MANIFEST_FILE}`, { body: new TextEncoder().encode(JSON.stringify(manifest)) });
      expect(await reason(`${base}/lm`)).toBe('unsafe-path');
      overrides.set(`/lm/${MANIFEST_FILE}`, { body: new TextEncoder().encode('{"format": ') });
      expect(await reason(`${base}/lm/`)).toBe('bad-json');
    } finally {
      overrides.clear();
    }
  });

  it('fails with an io CheckpointError when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await reason(`http://127.0.0.1:${port}/lm.seqgen`)).toBe('io');
  });

  it('writes nowhere but files and IndexedDB: saving to a URL is a ConfigError', async () => {
    const error = await saveCheckpoint(`${base}/lm.seqgen`, data).catch((e: unknown) => e);
    expect((error as Error).name).toBe('ConfigError');
    expect((error as Error).message).toContain('encodeCheckpoint() for bytes to upload');
  });
});
