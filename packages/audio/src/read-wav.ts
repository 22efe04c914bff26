import { AudioError } from './audio-error.js';
import { MAX_SAMPLE_RATE, type PcmAudio } from './pcm-audio.js';
import { findWaveChunks } from './riff-chunks.js';
import { WaveFile } from './wavefile-codec.js';

/** Options of {@link readWav}. */
export type ReadWavOptions = {
  /** Name used in error messages (e.g. the file path). Default `'<wav>'`. */
  name?: string;
};

/** How the samples of a WAV file were stored, as {@link readWav} reports it. */
export type WavEncoding = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64' | 'alaw' | 'mulaw';

/** What {@link readWav} decoded: the audio and how the file stored it. */
export type DecodedWav = PcmAudio & {
  /** The file's sample encoding. */
  encoding: WavEncoding;
};

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
const ADPCM_FORMATS: Record<number, string> = { 2: 'Microsoft ADPCM', 17: 'IMA ADPCM' };

/**
 * Decodes a WAV file (RIFF or big-endian RIFX) with the `wavefile` codec:
 * integer PCM of 8, 16, 24 or 32 bits, IEEE float of 32 or 64 bits, A-law and
 * µ-law (expanded to 16-bit), mono or any number of channels, any sample rate
 * up to 768 kHz; `WAVE_FORMAT_EXTENSIBLE` files are read as their sub-format.
 * Integer samples are scaled to [-1, 1) (divided by 2^(bits-1)); float
 * samples are returned as stored, which may exceed ±1.
 *
 * @throws {@link AudioError} `not-wav` (no RIFF/WAVE signature), `truncated`
 *   (a chunk runs past the end of the bytes), `corrupt` (an inconsistent
 *   `fmt ` chunk), `unsupported-encoding` (ADPCM and other compressed formats:
 *   convert them to PCM first, e.g. with `sox in.wav -e signed -b 16 out.wav`),
 *   `empty` (no samples), `bad-sample-rate` (0 or above 768000) and
 *   `non-finite` (a NaN or infinite float sample).
 */
export function readWav(bytes: Uint8Array | ArrayBuffer, options: ReadWavOptions = {}): DecodedWav {
  const source = options.name ?? '<wav>';
  const input = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(input instanceof Uint8Array)) {
    throw new AudioError(
      'not-wav',
      source,
      `expected the file's bytes (Uint8Array or ArrayBuffer), got ${typeof bytes}`,
    );
  }
  const layout = findWaveChunks(input, source);
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const le = !layout.bigEndian;
  const f = layout.fmtOffset;
  let format = view.getUint16(f, le);
  const channelCount = view.getUint16(f + 2, le);
  const sampleRate = view.getUint32(f + 4, le);
  const blockAlign = view.getUint16(f + 12, le);
  const bits = view.getUint16(f + 14, le);
  let bytesForCodec = input;
  if (format === WAVE_FORMAT_EXTENSIBLE) {
    if (layout.fmtSize < 40)
      throw new AudioError('corrupt', source, 'WAVE_FORMAT_EXTENSIBLE "fmt " chunk shorter than 40 bytes');
    format = view.getUint16(f + 24, le);
    // The codec decodes extensible files by bit depth alone (float would be
    // read as integers), so hand it the sub-format as the plain format code.
    bytesForCodec = new Uint8Array(input); // a copy: Buffer#slice would share, and change, the caller's bytes
    new DataView(bytesForCodec.buffer).setUint16(f, format, le);
  }
  if (channelCount === 0) throw new AudioError('corrupt', source, 'the "fmt " chunk declares 0 channels');
  if (sampleRate === 0 || sampleRate > MAX_SAMPLE_RATE) {
    throw new AudioError('bad-sample-rate', source, `sample rate ${sampleRate} Hz is outside [1, ${MAX_SAMPLE_RATE}]`);
  }
  const encoding = encodingOf(format, bits, source);
  const bytesPerFrame = channelCount * (encoding === 'alaw' || encoding === 'mulaw' ? 1 : bits / 8);
  if (blockAlign !== bytesPerFrame) {
    throw new AudioError(
      'corrupt',
      source,
      `block align ${blockAlign} does not match ${channelCount} channel(s) of ${bits} bits (${bytesPerFrame})`,
    );
  }
  if (layout.dataSize < bytesPerFrame)
    throw new AudioError('empty', source, 'the "data" chunk holds no complete sample frame');

  let wav: InstanceType<typeof WaveFile>;
  let raw: Float64Array | Float64Array[];
  try {
    wav = new WaveFile(bytesForCodec);
    if (encoding === 'alaw') wav.fromALaw('16');
    else if (encoding === 'mulaw') wav.fromMuLaw('16');
    raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  } catch (cause) {
    throw new AudioError('corrupt', source, `the codec could not decode the samples: ${(cause as Error).message}`, {
      cause,
    });
  }
  const planes = channelCount === 1 ? [raw as Float64Array] : (raw as Float64Array[]);
  const frames = Math.floor(layout.dataSize / bytesPerFrame);
  const [offset, scale] = scaling(encoding);
  const channels = planes.map((plane, c) => {
    if (!plane || plane.length < frames) {
      throw new AudioError(
        'corrupt',
        source,
        `channel ${c} decoded to ${plane?.length ?? 0} samples, expected ${frames}`,
      );
    }
    const out = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      const v = (plane[i]! - offset) * scale;
      if (!Number.isFinite(v)) throw new AudioError('non-finite', source, `sample ${i} of channel ${c} is ${plane[i]}`);
      out[i] = v;
    }
    return out;
  });
  return { sampleRate, channels, encoding };
}

function encodingOf(format: number, bits: number, source: string): WavEncoding {
  if (format === WAVE_FORMAT_PCM) {
    if (bits === 8 || bits === 16 || bits === 24 || bits === 32) return `pcm${bits}`;
    throw new AudioError('unsupported-encoding', source, `integer PCM of ${bits} bits (supported: 8, 16, 24, 32)`);
  }
  if (format === WAVE_FORMAT_IEEE_FLOAT) {
    if (bits === 32 || bits === 64) return `float${bits}`;
    throw new AudioError('unsupported-encoding', source, `float samples of ${bits} bits (supported: 32, 64)`);
  }
  if (format === WAVE_FORMAT_ALAW || format === WAVE_FORMAT_MULAW) {
    if (bits !== 8)
      throw new AudioError(
        'corrupt',
        source,
        `${format === WAVE_FORMAT_ALAW ? 'A' : 'µ'}-law samples of ${bits} bits (expected 8)`,
      );
    return format === WAVE_FORMAT_ALAW ? 'alaw' : 'mulaw';
  }
  const adpcm = ADPCM_FORMATS[format];
  if (adpcm) {
    throw new AudioError(
      'unsupported-encoding',
      source,
      `${adpcm} is not decoded; convert it to PCM first (sox in.wav -e signed -b 16 out.wav)`,
    );
  }
  throw new AudioError(
    'unsupported-encoding',
    source,
    `WAV format code 0x${format.toString(16)} (supported: PCM, IEEE float, A-law, µ-law)`,
  );
}

/** `[offset, scale]` taking the codec's raw values to [-1, 1). */
function scaling(encoding: WavEncoding): [number, number] {
  switch (encoding) {
    case 'pcm8':
      return [128, 1 / 128]; // 8-bit WAV is unsigned, centred on 128
    case 'pcm16':
    case 'alaw':
    case 'mulaw':
      return [0, 1 / 32768];
    case 'pcm24':
      return [0, 1 / 8388608];
    case 'pcm32':
      return [0, 1 / 2147483648];
    default:
      return [0, 1];
  }
}
