import FFT from 'fft.js';

/**
 * Real-input FFT of one power-of-two size on top of `fft.js` (radix-4), with
 * its work buffers kept so that transforming many frames allocates nothing.
 */
export class RealFft {
  readonly size: number;
  private readonly fft: FFT;
  private readonly spectrum: number[];
  private readonly complexIn: number[];
  private readonly complexOut: number[];

  constructor(size: number) {
    this.size = size;
    this.fft = new FFT(size);
    this.spectrum = this.fft.createComplexArray();
    this.complexIn = this.fft.createComplexArray();
    this.complexOut = this.fft.createComplexArray();
  }

  /** Bins 0…size/2 of the DFT of `frame` (length `size`) into `re`/`im` from `offset`. */
  forward(
    frame: ArrayLike<number>,
    re: Float32Array | Float64Array,
    im: Float32Array | Float64Array,
    offset = 0,
  ): void {
    this.fft.realTransform(this.spectrum, frame);
    const bins = this.size / 2 + 1;
    const s = this.spectrum;
    for (let k = 0; k < bins; k++) {
      re[offset + k] = s[2 * k]!;
      im[offset + k] = s[2 * k + 1]!;
    }
  }

  /**
   * The real signal (length `size`) whose bins 0…size/2 are `re`/`im` from
   * `offset`, like numpy's `irfft`: the imaginary parts of the DC and Nyquist
   * bins are ignored and the other half of the spectrum is the conjugate mirror.
   */
  inverse(re: ArrayLike<number>, im: ArrayLike<number>, offset: number, out: Float64Array): void {
    const n = this.size;
    const half = n / 2;
    const c = this.complexIn;
    c[0] = re[offset]!;
    c[1] = 0;
    for (let k = 1; k < half; k++) {
      const r = re[offset + k]!;
      const i = im[offset + k]!;
      c[2 * k] = r;
      c[2 * k + 1] = i;
      c[2 * (n - k)] = r;
      c[2 * (n - k) + 1] = -i;
    }
    c[2 * half] = re[offset + half]!;
    c[2 * half + 1] = 0;
    this.fft.inverseTransform(this.complexOut, c);
    const o = this.complexOut;
    for (let t = 0; t < n; t++) out[t] = o[2 * t]!;
  }
}

const plans = new Map<number, RealFft>();

/** A shared {@link RealFft} of `size` (one per size per process). */
export function realFftOf(size: number): RealFft {
  let plan = plans.get(size);
  if (!plan) {
    plan = new RealFft(size);
    plans.set(size, plan);
  }
  return plan;
}
