import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { sha256, sha256Hex } from './sha256.js';

const nodeHex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

describe('sha256', () => {
  it('matches the FIPS 180-4 test vector for "abc"', () => {
    expect(hex(sha256(new TextEncoder().encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('the pure-TS digest (used where WebCrypto is missing) equals node:crypto at every padding boundary', () => {
    const rng = new Rng(5);
    for (const length of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 100_003]) {
      const bytes = Uint8Array.from({ length }, () => Math.floor(rng.uniform() * 256));
      expect(hex(sha256(bytes)), `length ${length}`).toBe(nodeHex(bytes));
    }
  });

  it('sha256Hex (WebCrypto) agrees with node:crypto on a subarray view', async () => {
    const whole = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 255);
    const view = whole.subarray(17, 250);
    expect(await sha256Hex(view)).toBe(nodeHex(view));
  });
});
