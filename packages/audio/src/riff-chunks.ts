import { AudioError } from './audio-error.js';

/** Where the `fmt ` and `data` chunks of a RIFF/WAVE file lie, found by walking its chunk list. */
export type WaveLayout = {
  /** Byte offset of the `fmt ` chunk's body. */
  fmtOffset: number;
  /** Declared size of the `fmt ` chunk's body. */
  fmtSize: number;
  /** Byte offset of the `data` chunk's body. */
  dataOffset: number;
  /** Declared size of the `data` chunk's body. */
  dataSize: number;
  /** `RIFX` files store numbers big-endian. */
  bigEndian: boolean;
};

/**
 * Walks the chunks of a RIFF/WAVE file, so that a truncated or malformed
 * container is refused with its reason before the codec sees it (the codec
 * would silently return the samples that happen to be there).
 */
export function findWaveChunks(bytes: Uint8Array, source: string): WaveLayout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
  if (bytes.length < 12)
    throw new AudioError('not-wav', source, `${bytes.length} bytes is too short for a RIFF/WAVE header (12)`);
  const magic = tag(0);
  if (magic === 'RF64')
    throw new AudioError('unsupported-encoding', source, 'RF64 (64-bit RIFF) files are not supported');
  if ((magic !== 'RIFF' && magic !== 'RIFX') || tag(8) !== 'WAVE') {
    throw new AudioError('not-wav', source, 'missing the "RIFF…WAVE" signature: not a WAV file');
  }
  const bigEndian = magic === 'RIFX';
  let fmt: [number, number] | undefined;
  let data: [number, number] | undefined;
  let at = 12;
  while (at + 8 <= bytes.length && !(fmt && data)) {
    const id = tag(at);
    const size = view.getUint32(at + 4, !bigEndian);
    const body = at + 8;
    if (id === 'fmt ') fmt = [body, size];
    else if (id === 'data') data = [body, size];
    if (id !== 'data' && body + size > bytes.length) {
      throw new AudioError(
        'truncated',
        source,
        `chunk "${printable(id)}" at byte ${at} declares ${size} bytes, but only ${bytes.length - body} follow`,
      );
    }
    at = body + size + (size % 2);
  }
  if (!fmt) throw new AudioError(data ? 'corrupt' : 'truncated', source, 'no "fmt " chunk describing the samples');
  if (!data) throw new AudioError('truncated', source, 'no "data" chunk: the file ends before any samples');
  if (fmt[1] < 16) throw new AudioError('corrupt', source, `the "fmt " chunk is ${fmt[1]} bytes, expected at least 16`);
  if (data[0] + data[1] > bytes.length) {
    throw new AudioError(
      'truncated',
      source,
      `the "data" chunk declares ${data[1]} bytes, but only ${bytes.length - data[0]} follow`,
    );
  }
  return { fmtOffset: fmt[0], fmtSize: fmt[1], dataOffset: data[0], dataSize: data[1], bigEndian };
}

function printable(id: string): string {
  return id.replace(/[^\x20-\x7e]/g, '?');
}
