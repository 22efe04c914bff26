import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, ConfigError } from '@seqgen/core';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeSafetensors, findDuplicateKey, parseSafetensors, readSafetensors } from './safetensors.js';

const dir = mkdtempSync(join(tmpdir(), 'seqgen-st-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A safetensors file from a header given as JSON text (so that keys can repeat) and raw data bytes. */
function build(headerJson: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = Buffer.from(headerJson, 'utf8');
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (...values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

function failure(read: () => unknown): CheckpointError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointError);
    return error as CheckpointError;
  }
  throw new Error('expected a CheckpointError');
}

function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('readSafetensors reads only regular files', () => {
  it('a directory is a typed error, not a raw EISDIR', () => {
    const folder = join(dir, 'folder.safetensors');
    mkdirSync(folder);
    const error = failure(() => readSafetensors(folder));
    expect(error.reason).toBe('io');
    expect(error.message).toBe(`checkpoint ${folder}: is a directory, not a regular safetensors file`);
  });

  it('a FIFO is refused at once, without waiting for a writer', () => {
    const fifo = join(dir, 'pipe.safetensors');
    execFileSync('mkfifo', [fifo]);
    const start = performance.now();
    const error = failure(() => readSafetensors(fifo));
    expect(performance.now() - start).toBeLessThan(2000);
    expect(error.reason).toBe('io');
    expect(error.message).toMatch(/pipe\.safetensors: is a FIFO \(named pipe\), not a regular safetensors file$/);
  });

  it.runIf(existsSync('/dev/zero') && existsSync('/dev/urandom'))(
    'symlinks to /dev/zero and /dev/urandom are refused before a byte is read',
    () => {
      for (const device of ['/dev/zero', '/dev/urandom']) {
        const link = join(dir, `${device.slice(5)}.safetensors`);
        symlinkSync(device, link);
        const error = failure(() => readSafetensors(link));
        expect(error.reason).toBe('io');
        expect(error.message).toBe(`checkpoint ${link}: is a character device, not a regular safetensors file`);
      }
    },
  );

  it('a symlink to a regular file is read; a dangling one is not-found', () => {
    const real = file('real.safetensors', encodeSafetensors({ w: { shape: [1], data: Float32Array.of(2) } }));
    const link = join(dir, 'link.safetensors');
    symlinkSync(real, link);
    expect(Array.from(readSafetensors(link).tensors.w!.data)).toEqual([2]);
    const dangling = join(dir, 'dangling.safetensors');
    symlinkSync(join(dir, 'nowhere'), dangling);
    expect(failure(() => readSafetensors(dangling)).reason).toBe('not-found');
  });

  it('a file over maxBytes is refused before it is read', () => {
    const path = file('big.safetensors', encodeSafetensors({ w: { shape: [64], data: new Float32Array(64) } }));
    const error = failure(() => readSafetensors(path, { maxBytes: 100 }));
    expect(error.reason).toBe('too-large');
    expect(error.message).toMatch(/big\.safetensors: is \d+ bytes, over the limit of 100 \(maxBytes\)/);
    expect(() => readSafetensors(path, { maxBytes: -1 })).toThrow(ConfigError);
  });
});

describe('the header follows the format specification', () => {
  const tensor = '{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';

  it('duplicate keys are an error naming the key (JSON.parse alone keeps the last)', () => {
    const error = failure(() => parseSafetensors(build(`{"w":${tensor},"w":${tensor}}`, f32(1)), 'dup.safetensors'));
    expect(error.reason).toBe('invalid-manifest');
    expect(error.message).toBe('checkpoint dup.safetensors: header repeats the key "w"');
    // Escapes name the same key; repeats inside metadata and inside an entry count too.
    expect(failure(() => parseSafetensors(build(`{"w":${tensor},"\\u0077":${tensor}}`, f32(1)))).message).toMatch(
      /repeats the key "w"/,
    );
    expect(
      failure(() => parseSafetensors(build(`{"__metadata__":{"a":"1","a":"2"},"w":${tensor}}`, f32(1)))).message,
    ).toMatch(/repeats the key "a"/);
    expect(
      failure(() =>
        parseSafetensors(build('{"w":{"dtype":"F32","dtype":"F64","shape":[1],"data_offsets":[0,4]}}', f32(1))),
      ).message,
    ).toMatch(/repeats the key "dtype"/);
    // Same key text in different objects, and as a value, is fine.
    expect(findDuplicateKey('{"a":{"a":"a"},"b":["a","a"]}')).toBeUndefined();
    expect(findDuplicateKey('{"a\\"":1,"a\\"":2}')).toBe('a"');
  });

  it('__metadata__ must be an object of strings: nothing dropped, nothing reinterpreted', () => {
    const bad: [string, RegExp][] = [
      ['"oops"', /__metadata__ must be an object of string values, got string$/],
      ['["a"]', /got an array$/],
      ['null', /got null$/],
      ['{"epochs":3}', /but "epochs" is a number$/],
      ['{"nested":{"a":"b"}}', /but "nested" is a object$/],
    ];
    for (const [metadata, message] of bad) {
      const error = failure(() =>
        parseSafetensors(build(`{"__metadata__":${metadata},"w":${tensor}}`, f32(1)), 'm.st'),
      );
      expect(error.reason).toBe('invalid-manifest');
      expect(error.message).toMatch(/^checkpoint m\.st: __metadata__/);
      expect(error.message).toMatch(message);
    }
    expect(parseSafetensors(build(`{"__metadata__":{"format":"pt"},"w":${tensor}}`, f32(1))).metadata).toEqual({
      format: 'pt',
    });
  });

  it('only known dtypes; names of Object.prototype are not dtypes', () => {
    for (const dtype of ['toString', '__proto__', 'constructor', 'F8_E4M3', 'C64', 'f32']) {
      const header = `{"w":{"dtype":${JSON.stringify(dtype)},"shape":[1],"data_offsets":[0,4]}}`;
      const error = failure(() => parseSafetensors(build(header, f32(1)), 'd.st'));
      expect(error.reason).toBe('invalid-manifest');
      expect(error.message).toContain(`checkpoint d.st: tensor "w" has unsupported dtype ${JSON.stringify(dtype)}`);
      expect(error.message).not.toMatch(/NaN/);
    }
    expect(failure(() => parseSafetensors(build('{"w":5}', f32(1)))).message).toMatch(/tensor "w" must be an object/);
  });

  it('the data section is covered exactly: holes and trailing bytes are errors', () => {
    const two = (a: [number, number], b: [number, number]) =>
      `{"a":{"dtype":"F32","shape":[1],"data_offsets":[${a}]},"b":{"dtype":"F32","shape":[1],"data_offsets":[${b}]}}`;
    // Good, in either order of the header.
    expect(Object.keys(parseSafetensors(build(two([4, 8], [0, 4]), f32(1, 2))).tensors).sort()).toEqual(['a', 'b']);
    const hole = failure(() => parseSafetensors(build(two([0, 4], [8, 12]), f32(1, 2, 3)), 'hole.st'));
    expect(hole.reason).toBe('corrupt');
    expect(hole.message).toBe(
      'checkpoint hole.st: bytes 4..8 of the data section belong to no tensor (a hole before "b"; data_offsets must be contiguous)',
    );
    const leading = failure(() => parseSafetensors(build(two([4, 8], [8, 12]), f32(1, 2, 3))));
    expect(leading.message).toMatch(/bytes 0\.\.4 of the data section belong to no tensor \(a hole before "a"/);
    const trailing = failure(() => parseSafetensors(build(two([0, 4], [4, 8]), f32(1, 2, 3)), 'tail.st'));
    expect(trailing.reason).toBe('corrupt');
    expect(trailing.message).toBe(
      'checkpoint tail.st: has 4 trailing bytes after the last tensor (the data section is 12 bytes, the tensors cover 8)',
    );
    expect(failure(() => parseSafetensors(build('{}', f32(1)))).message).toMatch(/has 4 trailing bytes/);
    expect(failure(() => parseSafetensors(build(two([0, 4], [0, 4]), f32(1)))).message).toMatch(
      /tensors "a" and "b" overlap/,
    );
    // Empty tensors take no bytes; like any other they start where the previous one ends (not inside it).
    const empty = (at: number) =>
      `{"e":{"dtype":"F32","shape":[0],"data_offsets":[${at},${at}]},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`;
    expect(parseSafetensors(build(empty(8), f32(1, 2))).tensors.e!.data).toHaveLength(0);
    expect(parseSafetensors(build(empty(0), f32(1, 2))).tensors.e!.data).toHaveLength(0);
    expect(failure(() => parseSafetensors(build(empty(4), f32(1, 2)))).message).toMatch(/"w" and "e" overlap/);
  });

  it('I64 (and U64, U32) values must fit int32 exactly; BOOL must be 0 or 1', () => {
    const i64 = (v: bigint) => {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigInt64(0, v, true);
      return build('{"n":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', b);
    };
    expect(Array.from(parseSafetensors(i64(-(2n ** 31n))).tensors.n!.data)).toEqual([-(2 ** 31)]);
    expect(Array.from(parseSafetensors(i64(2n ** 31n - 1n)).tensors.n!.data)).toEqual([2 ** 31 - 1]);
    const wrapped = failure(() => parseSafetensors(i64(2n ** 40n + 5n), 'ids.st'));
    expect(wrapped.reason).toBe('invalid-weights');
    expect(wrapped.message).toBe(
      'checkpoint ids.st: tensor "n" holds 1099511627781 at index 0, which does not fit in int32',
    );
    expect(failure(() => parseSafetensors(i64(-(2n ** 31n) - 1n))).message).toMatch(/does not fit in int32/);
    const u32 = new Uint8Array(4);
    new DataView(u32.buffer).setUint32(0, 2 ** 32 - 1, true);
    expect(
      failure(() => parseSafetensors(build('{"n":{"dtype":"U32","shape":[1],"data_offsets":[0,4]}}', u32))).message,
    ).toMatch(/holds 4294967295 at index 0, which does not fit in int32/);
    expect(
      failure(() =>
        parseSafetensors(build('{"b":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}', Uint8Array.of(1, 2))),
      ).message,
    ).toMatch(/tensor "b" holds 2 at index 1, which is not a bool/);
  });

  it('shapes too large to address are refused before anything is allocated', () => {
    const header = '{"w":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}';
    expect(failure(() => parseSafetensors(build(header, f32(1, 2)))).message).toMatch(/too large to address/);
  });

  it('a file built by the encoder still reads back through a real file', () => {
    const path = file(
      'ok.safetensors',
      encodeSafetensors(
        { a: { shape: [2], data: Float32Array.of(1, 2) }, b: { shape: [0], data: new Float32Array(0) } },
        {
          k: 'v',
        },
      ),
    );
    const read = readSafetensors(path);
    expect(read.metadata).toEqual({ k: 'v' });
    expect(Array.from(read.tensors.a!.data)).toEqual([1, 2]);
  });
});
