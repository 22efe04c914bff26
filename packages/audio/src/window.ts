/**
 * The periodic Hann window of `length` samples, `0.5 − 0.5·cos(2πn/length)`
 * (what librosa and `scipy.signal.get_window('hann', length)` use for
 * spectral analysis), centred in `size` samples of zeros when `size` is larger.
 */
export function hannWindow(length: number, size = length): Float64Array {
  const out = new Float64Array(size);
  const start = Math.floor((size - length) / 2);
  for (let n = 0; n < length; n++) out[start + n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / length);
  return out;
}
