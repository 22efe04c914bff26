import { assertOneOf, ConfigError, ShapeError } from '@seqgen/base';
import { assertSignal, MAX_SAMPLE_RATE, type PcmAudio } from './pcm-audio.js';
import { WaveFile } from './wavefile-codec.js';

/** Sample encodings {@link writeWav} can write. */
export type WavWriteEncoding = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';

/** Options of {@link writeWav}. */
export type WriteWavOptions = {
  /** How samples are stored. Default `'pcm16'` (what most players and speech tools expect). */
  encoding?: WavWriteEncoding;
};

const CODEC_BIT_DEPTH: Record<WavWriteEncoding, string> = {
  pcm8: '8',
  pcm16: '16',
  pcm24: '24',
  pcm32: '32',
  float32: '32f',
  float64: '64',
};

/**
 * Encodes audio as a WAV file with the `wavefile` codec. Integer encodings
 * clip samples to [-1, 1] and round `x · 2^(bits-1)` (so {@link readWav}
 * gives back exactly what it read); float encodings store the values as given.
 *
 * @throws `ConfigError` for an unknown encoding or a sample rate that is not
 *   an integer in [1, 768000]; `ShapeError` for no channels, channels of
 *   different lengths, empty channels or non-finite samples.
 */
export function writeWav(audio: PcmAudio, options: WriteWavOptions = {}): Uint8Array {
  const encoding = options.encoding ?? 'pcm16';
  assertOneOf('encoding', encoding, Object.keys(CODEC_BIT_DEPTH) as WavWriteEncoding[]);
  const { sampleRate, channels } = audio ?? ({} as PcmAudio);
  if (!(Number.isSafeInteger(sampleRate) && sampleRate >= 1 && sampleRate <= MAX_SAMPLE_RATE)) {
    throw new ConfigError('sampleRate', `must be an integer in [1, ${MAX_SAMPLE_RATE}] Hz, got ${sampleRate}`);
  }
  if (!Array.isArray(channels) || channels.length === 0) {
    throw new ShapeError('channels', 'a non-empty array of channels', String(channels), 'writeWav');
  }
  const frames = channels[0]?.length ?? 0;
  const planes = channels.map((channel, c) => {
    assertSignal(`channels[${c}]`, channel, 'writeWav');
    if (channel.length !== frames) {
      throw new ShapeError(`channels[${c}]`, `${frames} samples like channels[0]`, `${channel.length}`, 'writeWav');
    }
    return quantize(channel, encoding);
  });
  const wav = new WaveFile();
  wav.fromScratch(planes.length, sampleRate, CODEC_BIT_DEPTH[encoding], planes.length === 1 ? planes[0]! : planes);
  return wav.toBuffer();
}

function quantize(channel: ArrayLike<number>, encoding: WavWriteEncoding): Float64Array {
  const out = Float64Array.from(channel);
  if (encoding === 'float32' || encoding === 'float64') return out;
  const bits = Number(encoding.slice(3));
  const full = 2 ** (bits - 1);
  for (let i = 0; i < out.length; i++) {
    const v = Math.max(-full, Math.min(full - 1, Math.round(out[i]! * full)));
    out[i] = bits === 8 ? v + 128 : v;
  }
  return out;
}
