import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.js';

/**
 * Reads a request body of at most `maxBytes` and parses it as JSON. A body
 * over the limit (by its Content-Length, or once that many bytes have come)
 * is a 413 without reading the rest; malformed JSON is a 400.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, `We could not parse the JSON body of your request: ${(err as Error).message}`, {
      code: 'invalid_json',
    });
  }
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, `the request body is larger than ${maxBytes} bytes`, { code: 'request_too_large' });
}
