import { CheckpointError } from '../errors.js';
import { type CheckpointLimits, type CheckpointManifest, MANIFEST_FILE, SINGLE_FILE_EXTENSION } from './format.js';
import { checkHash, decodeSingleFile, maxSingleFileBytes, parseManifest } from './single-file.js';

type ManifestCheck = ((manifest: CheckpointManifest, source: string) => void) | undefined;

/**
 * Fetches a checkpoint over HTTP(S) (or a `blob:`/`data:` URL): a URL whose
 * path ends in `.seqgen` is one single-file checkpoint; any other URL is a
 * checkpoint folder, whose `checkpoint.json` and weight files are fetched
 * relative to it. Bodies are read with the same size limits and checked the
 * same way as files on disk; a larger body than announced is never buffered.
 */
export async function fetchCheckpoint(
  url: URL,
  limits: CheckpointLimits,
  check: ManifestCheck,
): Promise<{ manifest: CheckpointManifest; payload: Uint8Array }> {
  const shown = url.href;
  if (url.pathname.endsWith(SINGLE_FILE_EXTENSION) || url.protocol === 'blob:' || url.protocol === 'data:') {
    const bytes = await fetchBytes(url, maxSingleFileBytes(limits), shown);
    return decodeSingleFile(bytes, shown, limits, check);
  }
  const folder = new URL(url.href.endsWith('/') ? url.href : `${url.href}/`);
  const manifestUrl = new URL(MANIFEST_FILE, folder);
  const manifestBytes = await fetchBytes(manifestUrl, limits.maxManifestBytes, manifestUrl.href);
  const manifest = parseManifest(manifestBytes, manifestUrl.href, limits);
  check?.(manifest, shown);
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const group of manifest.weightsManifest) {
    for (const file of group.paths) {
      // Manifests name plain file names only (validateManifest), so each resolves inside the folder.
      const info = manifest.weightFiles[file] as { bytes: number; sha256: string };
      const fileUrl = new URL(file, folder);
      const bytes = await fetchBytes(fileUrl, info.bytes, fileUrl.href, 'corrupt');
      if (bytes.byteLength < info.bytes)
        throw new CheckpointError(
          'truncated',
          fileUrl.href,
          `holds ${bytes.byteLength} bytes, manifest says ${info.bytes}`,
        );
      await checkHash(bytes, info.sha256, fileUrl.href);
      parts.push(bytes);
      total += bytes.byteLength;
    }
  }
  const payload = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    payload.set(part, offset);
    offset += part.byteLength;
  }
  return { manifest, payload };
}

/**
 * The body at `url`, refusing more than `limit` bytes (by its Content-Length
 * before reading, and while reading, since a server may announce less than it
 * sends). `overLimit` is the failure a larger body is: 'too-large', or
 * 'corrupt' for a weight file whose size the manifest fixed.
 */
async function fetchBytes(
  url: URL,
  limit: number,
  shown: string,
  overLimit: 'too-large' | 'corrupt' = 'too-large',
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new CheckpointError('io', shown, `cannot be fetched: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) {
    void response.body?.cancel();
    throw new CheckpointError(
      response.status === 404 || response.status === 410 ? 'not-found' : 'io',
      shown,
      `answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
    );
  }
  const tooLarge = (bytes: number | string) =>
    new CheckpointError(overLimit, shown, `holds ${bytes} bytes, over the ${limit} expected at most`);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit && !response.headers.get('content-encoding')) {
    void response.body?.cancel();
    throw tooLarge(declared);
  }
  if (!response.body) {
    const whole = new Uint8Array(await response.arrayBuffer());
    if (whole.byteLength > limit) throw tooLarge(whole.byteLength);
    return whole;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let step: Awaited<ReturnType<typeof reader.read>>;
    try {
      step = await reader.read();
    } catch (error) {
      throw new CheckpointError('io', shown, `stopped while downloading: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (step.done) break;
    total += step.value.byteLength;
    if (total > limit) {
      void reader.cancel();
      throw tooLarge(`at least ${total}`);
    }
    chunks.push(step.value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
