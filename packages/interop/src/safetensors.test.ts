import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { encodeSafetensors, parseSafetensors, readSafetensors } from './safetensors.js';

const sample = () =>
  encodeSafetensors(
    { a: { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) }, b: { shape: [1], data: Float32Array.of(-0.5) } },
    { source: 'test' },
  );

function expectReason(bytes: Uint8Array, reason: string, message: RegExp): void {
  let error: unknown;
  try {
    parseSafetensors(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CheckpointError);
  expect((error as CheckpointError).reason).toBe(reason);
  expect((error as Error).message).toMatch(message);
}

/** Rewrites the JSON header of a sample file (keeping the data). */
function withHeader(edit: (h: Record<string, any>) => void): Uint8Array {
  const bytes = sample();
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString());
  edit(header);
  const json = Buffer.from(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + bytes.length - 8 - n);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(bytes.subarray(8 + n), 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips tensors and metadata through a file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'seqgen-st-')), 'w.safetensors');
    writeFileSync(path, sample());
    const { tensors, metadata } = readSafetensors(path);
    expect(metadata).toEqual({ source: 'test' });
    expect(tensors.a).toEqual({ shape: [2, 3], dtype: 'float32', data: Float32Array.of(1, 2, 3, 4, 5, 6) });
    expect(Array.from(tensors.b!.data)).toEqual([-0.5]);
  });

  it('converts F16, BF16, F64 and I64 data', () => {
    const bytes = withHeader((h) => {
      h.a = { dtype: 'F16', shape: [2], data_offsets: [0, 4] };
      h.b = { dtype: 'BF16', shape: [2], data_offsets: [4, 8] };
      h.c = { dtype: 'F64', shape: [1], data_offsets: [8, 16] };
      h.d = { dtype: 'I64', shape: [1], data_offsets: [16, 24] };
      h.e = { dtype: 'I32', shape: [1], data_offsets: [24, 28] }; // the data section must be covered exactly
    });
    const dv = new DataView(bytes.buffer);
    const at = bytes.length - 28;
    dv.setUint16(at, 0x3c00, true); // 1.0 in half precision
    dv.setUint16(at + 2, 0xc000, true); // -2.0
    dv.setUint16(at + 4, 0x3f80, true); // 1.0 in bfloat16
    dv.setUint16(at + 6, 0x4040, true); // 3.0
    dv.setFloat64(at + 8, Math.PI, true);
    dv.setBigInt64(at + 16, -7n, true);
    const { tensors } = parseSafetensors(bytes);
    expect(Array.from(tensors.a!.data)).toEqual([1, -2]);
    expect(Array.from(tensors.b!.data)).toEqual([1, 3]);
    expect(tensors.c!.data[0]).toBeCloseTo(Math.PI, 6);
    expect(tensors.d).toEqual({ shape: [1], dtype: 'int32', data: Int32Array.of(-7) });
  });

  it('gives typed errors for truncated, oversized, malformed and inconsistent files', () => {
    const good = sample();
    expectReason(good.subarray(0, 5), 'truncated', /shorter than the 8-byte/);
    expectReason(good.subarray(0, 20), 'truncated', /ends inside its/);
    expectReason(
      good.subarray(0, good.length - 4),
      'truncated',
      /tensor "b" ends at byte 28 of a 24-byte data section/,
    );
    const huge = new Uint8Array(good);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
    expectReason(huge, 'too-large', /header, over the limit/);
    const garbage = new Uint8Array(good);
    garbage[9] = 0x7b;
    garbage[10] = 0x7b;
    expectReason(garbage, 'bad-json', /header is not valid JSON/);
    expectReason(
      withHeader((h) => (h.a.dtype = 'C64')),
      'invalid-manifest',
      /tensor "a" has unsupported dtype "C64"/,
    );
    expectReason(
      withHeader((h) => (h.a.shape = [3, 3])),
      'invalid-manifest',
      /spans 24 bytes but shape \[3,3\] of F32 needs 36/,
    );
    expectReason(
      withHeader((h) => (h.b.data_offsets = [20, 24])),
      'corrupt',
      /overlap/,
    );
    expectReason(
      withHeader((h) => (h.a.data_offsets = [-4, 20])),
      'invalid-manifest',
      /invalid data_offsets/,
    );
  });
});
