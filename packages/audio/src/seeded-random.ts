/**
 * A small seeded generator of uniform numbers in [0, 1) (a 32-bit xorshift
 * with a Weyl sequence added), so that Griffin-Lim's random phases are the
 * same on every run and platform for one seed.
 */
export function seededUniform(seed: number): () => number {
  let state = (seed ^ 0x9e3779b9) >>> 0 || 1;
  let weyl = 0;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    weyl = (weyl + 0x61c88647) >>> 0;
    return ((state + weyl) >>> 0) / 4294967296;
  };
}
