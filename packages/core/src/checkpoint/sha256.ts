/**
 * SHA-256 as lowercase hex, the digest checkpoint manifests record for every
 * weight file. WebCrypto does the work wherever it exists (Node 20, browsers on
 * HTTPS or localhost, workers); a page served over plain HTTP has no
 * `crypto.subtle`, so a small pure-TS digest stands in there.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleLike } }).crypto?.subtle;
  if (subtle) return toHex(new Uint8Array(await subtle.digest('SHA-256', bytes)));
  return toHex(sha256(bytes));
}

interface SubtleLike {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}

function toHex(digest: Uint8Array): string {
  let out = '';
  for (const b of digest) out += b.toString(16).padStart(2, '0');
  return out;
}

/** The 64 round constants: first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = new Uint32Array(64);
/** Initial hash: first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const H0 = new Uint32Array(8);
{
  const primes: number[] = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  const frac32 = (x: number) => Math.floor((x - Math.floor(x)) * 2 ** 32) >>> 0;
  primes.forEach((p, i) => {
    K[i] = frac32(Math.cbrt(p));
    if (i < 8) H0[i] = frac32(Math.sqrt(p));
  });
}

/** FIPS 180-4 SHA-256 of `bytes` (exported for the test that compares it with WebCrypto). */
export function sha256(bytes: Uint8Array): Uint8Array {
  const bitLength = bytes.byteLength * 8;
  const padded = new Uint8Array(Math.ceil((bytes.byteLength + 9) / 64) * 64);
  padded.set(bytes);
  padded[bytes.byteLength] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.byteLength - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.byteLength - 4, bitLength >>> 0);
  const h = H0.slice();
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let block = 0; block < padded.byteLength; block += 64) {
    for (let t = 0; t < 16; t++) w[t] = view.getUint32(block + t * 4);
    for (let t = 16; t < 64; t++) {
      const a = w[t - 15] as number;
      const b = w[t - 2] as number;
      const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
      const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
      w[t] = ((w[t - 16] as number) + s0 + (w[t - 7] as number) + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h as unknown as number[];
    for (let t = 0; t < 64; t++) {
      const e_ = e as number;
      const a_ = a as number;
      const t1 =
        ((hh as number) +
          (rotr(e_, 6) ^ rotr(e_, 11) ^ rotr(e_, 25)) +
          ((e_ & (f as number)) ^ (~e_ & (g as number))) +
          (K[t] as number) +
          (w[t] as number)) >>>
        0;
      const t2 =
        ((rotr(a_, 2) ^ rotr(a_, 13) ^ rotr(a_, 22)) +
          ((a_ & (b as number)) ^ (a_ & (c as number)) ^ ((b as number) & (c as number)))) >>>
        0;
      hh = g;
      g = f;
      f = e;
      e = ((d as number) + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    const next = [a, b, c, d, e, f, g, hh] as number[];
    for (let i = 0; i < 8; i++) h[i] = ((h[i] as number) + (next[i] as number)) >>> 0;
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) outView.setUint32(i * 4, h[i] as number);
  return out;
}
