import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy } from './npy.js';
import { readNpy, writeNpy } from './npy-files.js';
import { VideoDataError } from './video-data-error.js';

const fixture = (name: string) => join(import.meta.dirname, 'test-fixtures', name);

describe('NPY files', () => {
  it('writes byte for byte what numpy.save writes, and reads numpy files', () => {
    // The fixtures were written by numpy 2.4 (np.save) from these arrays.
    const u8 = Uint8Array.from({ length: 24 }, (_, i) => i * 10);
    expect(encodeNpy({ shape: [2, 3, 4], dtype: 'uint8', data: u8 })).toEqual(
      new Uint8Array(readFileSync(fixture('numpy-uint8-2x3x4.npy'))),
    );
    const f32 = readNpy(fixture('numpy-float32-3x2.npy'));
    expect(f32).toEqual({
      shape: [3, 2],
      dtype: 'float32',
      data: Float32Array.from([-0.5, -0.25, 0, 0.25, 0.5, 0.75]),
    });
    expect(encodeNpy(f32)).toEqual(new Uint8Array(readFileSync(fixture('numpy-float32-3x2.npy'))));
  });

  it('round-trips through a file, with the data on a 64-byte boundary', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'npy-')), 'a.npy');
    const array = { shape: [5], dtype: 'float32' as const, data: Float32Array.from([1, -2, 3.5, 1e-7, 0]) };
    writeNpy(path, array);
    const bytes = readFileSync(path);
    expect((10 + bytes.readUInt16LE(8)) % 64).toBe(0);
    expect(bytes.subarray(10, 70).toString('latin1')).toContain("'shape': (5,)");
    expect(readNpy(path)).toEqual(array);
  });

  it('refuses malformed files with a VideoDataError naming the file and the problem', () => {
    const good = encodeNpy({ shape: [2, 2], dtype: 'uint8', data: new Uint8Array(4) });
    const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
    const edit = (from: string, to: string) => new Uint8Array(Buffer.from(text(good).replace(from, to), 'latin1'));
    const cases: Array<[Uint8Array, string, RegExp]> = [
      [new Uint8Array([1, 2, 3]), 'corrupt', /x\.npy: not an \.npy file/],
      [good.subarray(0, good.length - 1), 'corrupt', /needs 4 bytes of data, the file has 3/],
      [edit("'|u1'", "'<i8'"), 'unsupported', /dtype '<i8'/],
      [edit('False', 'True '), 'unsupported', /Fortran-order/],
      [edit('(2, 2)', '(2, x)'), 'corrupt', /bad shape/],
      [good.subarray(0, 40), 'corrupt', /runs past the end/],
    ];
    for (const [bytes, reason, message] of cases) {
      const error = (() => {
        try {
          decodeNpy(bytes, 'x.npy');
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(VideoDataError);
      expect((error as VideoDataError).reason).toBe(reason);
      expect((error as Error).message).toMatch(message);
    }
    expect(() => readNpy('/nonexistent/x.npy')).toThrow(/\/nonexistent\/x\.npy: no such file/);
  });
});
