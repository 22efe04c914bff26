import { assertInRange, assertPositiveInteger, ConfigError } from '@seqgen/base';
import { assertSignal, MAX_SAMPLE_RATE, type SampleArray } from './pcm-audio.js';

/** Options of {@link resample}: the windowed-sinc low-pass filter. */
export type ResampleOptions = {
  /** Zero crossings of the sinc on each side (filter length, sharpness). Default 32. */
  zeroCrossings?: number;
  /** Cutoff as a fraction of the lower Nyquist frequency, in (0, 1]. Default 0.945. */
  rolloff?: number;
  /** Kaiser window β (stop-band attenuation; 12 ≈ 120 dB side lobes). Default 12. */
  kaiserBeta?: number;
};

/** Above this many polyphase filters, taps are computed per sample instead of cached. */
const MAX_CACHED_PHASES = 4096;

/**
 * Band-limited resampling by polyphase windowed-sinc interpolation (a
 * Kaiser-windowed sinc low-pass at `rolloff` × the lower of the two Nyquist
 * frequencies, evaluated at the exact rational positions `n · fromRate /
 * toRate`). Tones below the new Nyquist frequency keep their amplitude; those
 * above it are removed rather than aliased. Returns `⌈len · toRate / fromRate⌉` samples.
 *
 * @throws `ConfigError` for a rate that is not an integer in [1, 768000] or
 *   bad filter options; `ShapeError` for an empty or non-finite signal.
 */
export function resample(
  signal: SampleArray,
  fromRate: number,
  toRate: number,
  options: ResampleOptions = {},
): Float32Array {
  assertRate('fromRate', fromRate);
  assertRate('toRate', toRate);
  assertSignal('signal', signal, 'resample');
  const zeroCrossings = options.zeroCrossings ?? 32;
  assertPositiveInteger('zeroCrossings', zeroCrossings);
  if (zeroCrossings > 256) throw new ConfigError('zeroCrossings', `must be at most 256, got ${zeroCrossings}`);
  const rolloff = options.rolloff ?? 0.945;
  assertInRange('rolloff', rolloff, 0, 1, { openMin: true });
  const beta = options.kaiserBeta ?? 12;
  assertInRange('kaiserBeta', beta, 0, 50);
  if (fromRate === toRate) return Float32Array.from(signal);

  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  // Cutoff in cycles per input sample relative to the input Nyquist; the
  // kernel h(x) = fc·sinc(fc·x)·kaiser(x / halfWidth) has unit DC gain.
  const fc = rolloff * Math.min(1, toRate / fromRate);
  const halfWidth = zeroCrossings / fc;
  const reach = Math.ceil(halfWidth);
  const taps = 2 * reach;
  const i0Beta = besselI0(beta);
  const kernel = (x: number): number => {
    const u = x / halfWidth;
    if (u <= -1 || u >= 1) return 0;
    const arg = Math.PI * fc * x;
    const sinc = x === 0 ? 1 : Math.sin(arg) / arg;
    return fc * sinc * (besselI0(beta * Math.sqrt(1 - u * u)) / i0Beta);
  };
  const phaseTaps = (phase: number, out: Float64Array): void => {
    const frac = phase / up;
    for (let j = 0; j < taps; j++) out[j] = kernel(frac - (j - reach + 1));
  };
  const cache = up <= MAX_CACHED_PHASES ? new Map<number, Float64Array>() : undefined;
  const scratch = new Float64Array(taps);

  const n = signal.length;
  const outLength = Math.ceil((n * toRate) / fromRate);
  const out = new Float32Array(outLength);
  for (let k = 0; k < outLength; k++) {
    const position = k * down; // in units of 1/up input samples
    const base = Math.floor(position / up);
    const phase = position - base * up;
    let h = cache?.get(phase);
    if (!h) {
      h = cache ? new Float64Array(taps) : scratch;
      phaseTaps(phase, h);
      cache?.set(phase, h);
    }
    let acc = 0;
    const first = base - reach + 1;
    const lo = Math.max(0, -first);
    const hi = Math.min(taps, n - first);
    for (let j = lo; j < hi; j++) acc += h[j]! * signal[first + j]!;
    out[k] = acc;
  }
  return out;
}

function assertRate(field: string, rate: number): void {
  if (!(Number.isSafeInteger(rate) && rate >= 1 && rate <= MAX_SAMPLE_RATE)) {
    throw new ConfigError(field, `must be an integer sample rate in [1, ${MAX_SAMPLE_RATE}] Hz, got ${rate}`);
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The modified Bessel function of the first kind, order 0, by its power series. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}
