import { execFileSync } from 'node:child_process';
import type * as fs from 'node:fs';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../backend.js';
import { CheckpointError } from '../errors.js';
import { describeValue } from '../validate.js';
import { MANIFEST_FILE } from './format.js';
import { loadCheckpoint } from './load.js';
import { saveCheckpoint } from './save.js';

// A switch for one test: make fstat under-report a file's size, as a file that grows
// while it is read (or a filesystem that lies) would.
const lie = vi.hoisted(() => ({ shrinkBy: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const fstatSync = ((fd: number, ...rest: unknown[]) => {
    const stats = (real.fstatSync as (...a: unknown[]) => fs.Stats)(fd, ...rest);
    if (lie.shrinkBy === 0) return stats;
    return Object.assign(Object.create(Object.getPrototypeOf(stats)), stats, { size: stats.size - lie.shrinkBy });
  }) as typeof real.fstatSync;
  return { ...real, default: { ...real, fstatSync }, fstatSync };
});

const weights = {
  w: { dtype: 'float32' as const, shape: [4, 4], data: Float32Array.from({ length: 16 }, (_, i) => i / 7) },
};
const SECRET = 'TOP-SECRET-do-not-echo-42';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'seqgen-hostile-'));
}

async function freshFolder(): Promise<string> {
  const dir = join(tempDir(), 'ckpt');
  await saveCheckpoint(dir, { config: { type: 't' }, weights });
  return dir;
}

async function freshFile(): Promise<string> {
  const path = join(tempDir(), 'm.seqgen');
  await saveCheckpoint(path, { config: { type: 't' }, weights });
  return path;
}

function shardName(dir: string): string {
  return readdirSync(dir).find((f) => f.endsWith('.bin')) as string;
}

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

async function failure(path: string, options = {}): Promise<CheckpointError> {
  const error = await loadCheckpoint(path, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckpointError);
  return error as CheckpointError;
}

async function expectFailure(path: string, reason: string, message: RegExp): Promise<CheckpointError> {
  const error = await failure(path);
  expect(error.reason).toBe(reason);
  expect(error.message).toMatch(message);
  return error;
}

describe('hostile checkpoints: only regular files inside the folder are read', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('a directory in place of checkpoint.json or a shard says so (not "missing")', async () => {
    const dir = await freshFolder();
    const shard = shardName(dir);
    rmSync(join(dir, shard));
    mkdirSync(join(dir, shard));
    await expectFailure(dir, 'io', new RegExp(`weight file ${shard} is a directory, not a regular file`));
    rmSync(join(dir, MANIFEST_FILE));
    mkdirSync(join(dir, MANIFEST_FILE));
    const error = await expectFailure(dir, 'io', /checkpoint\.json is a directory, not a regular file/);
    expect(error.message).not.toMatch(/missing/);
  });

  it('a FIFO in place of checkpoint.json, a shard or the checkpoint itself is refused without opening it', {
    timeout: 5000,
  }, async () => {
    const dir = await freshFolder();
    const shard = shardName(dir);
    rmSync(join(dir, shard));
    mkfifo(join(dir, shard));
    await expectFailure(dir, 'io', new RegExp(`weight file ${shard} is a FIFO \\(named pipe\\), not a regular file`));

    const other = await freshFolder();
    rmSync(join(other, MANIFEST_FILE));
    mkfifo(join(other, MANIFEST_FILE));
    await expectFailure(other, 'io', /checkpoint\.json is a FIFO \(named pipe\), not a regular file/);

    const fifo = join(tempDir(), 'm.seqgen');
    mkfifo(fifo);
    await expectFailure(fifo, 'io', /is a FIFO \(named pipe\), not a checkpoint folder or a regular \.seqgen file/);
  });

  it('a device in place of the checkpoint file is refused (never read)', { timeout: 5000 }, async () => {
    await expectFailure('/dev/zero', 'io', /\/dev\/zero: is a character device, not a checkpoint folder/);
    const link = join(tempDir(), 'zero.seqgen');
    symlinkSync('/dev/zero', link);
    await expectFailure(link, 'io', /is a character device/);
  });

  it('a shard or checkpoint.json symlinked outside the folder is unsafe-path, even to a device', {
    timeout: 5000,
  }, async () => {
    const dir = await freshFolder();
    const shard = shardName(dir);
    // A perfectly valid copy of the shard, but outside the folder.
    const outside = join(tempDir(), 'shard.bin');
    renameSync(join(dir, shard), outside);
    symlinkSync(outside, join(dir, shard));
    await expectFailure(
      dir,
      'unsafe-path',
      new RegExp(`${shard}: weight file ${shard} is a symlink that leads outside the checkpoint folder`),
    );
    rmSync(join(dir, shard));
    symlinkSync('/dev/zero', join(dir, shard));
    await expectFailure(dir, 'unsafe-path', /leads outside the checkpoint folder/);

    const other = await freshFolder();
    rmSync(join(other, MANIFEST_FILE));
    symlinkSync('/dev/urandom', join(other, MANIFEST_FILE));
    await expectFailure(other, 'unsafe-path', /checkpoint\.json is a symlink that leads outside the checkpoint folder/);
  });

  it('checkpoint.json symlinked to another file never echoes that file', async () => {
    const dir = await freshFolder();
    const private_ = join(tempDir(), 'notes.txt');
    writeFileSync(private_, `${SECRET} and more private text\n`);
    rmSync(join(dir, MANIFEST_FILE));
    symlinkSync(private_, join(dir, MANIFEST_FILE));
    const error = await expectFailure(dir, 'unsafe-path', /leads outside the checkpoint folder/);
    expect(error.message).not.toContain('SECRET');
  });

  it('symlinks that stay inside the folder are followed', async () => {
    const dir = await freshFolder();
    const shard = shardName(dir);
    renameSync(join(dir, shard), join(dir, 'real-shard'));
    symlinkSync('real-shard', join(dir, shard));
    renameSync(join(dir, MANIFEST_FILE), join(dir, 'real-manifest'));
    symlinkSync(join(dir, 'real-manifest'), join(dir, MANIFEST_FILE));
    const loaded = await loadCheckpoint(dir);
    expect(loaded.weights.w?.shape).toEqual([4, 4]);
    rmSync(join(dir, shard));
    symlinkSync('missing-target', join(dir, shard));
    await expectFailure(dir, 'unsafe-path', /is a symlink to a missing file/);
  });

  it('a manifest that is not JSON is reported without quoting its contents', async () => {
    const dir = await freshFolder();
    for (const text of [`{"a": ${SECRET}}`, `${SECRET}`, `{"config": "${SECRET}`, `{"a":1} ${SECRET}`]) {
      writeFileSync(join(dir, MANIFEST_FILE), text);
      const error = await expectFailure(dir, 'bad-json', /checkpoint\.json: manifest is not valid JSON: /);
      expect(error.message).not.toContain('SECRET');
    }
    writeFileSync(join(dir, MANIFEST_FILE), Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    await expectFailure(dir, 'bad-json', /manifest is not valid JSON: it is not UTF-8 text/);
  });

  it('values quoted from a manifest are escaped and cut short', async () => {
    const dir = await freshFolder();
    const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
    m.format = `\u001b[31m${'x'.repeat(10_000)}`;
    writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(m));
    const error = await expectFailure(
      dir,
      'invalid-manifest',
      /"format" must be "seqgen-checkpoint", got "\\u001b\[31mxxx/,
    );
    expect(error.message).not.toContain('\u001b');
    expect(error.message.length).toBeLessThan(300);
  });

  it('a dtype naming an Object.prototype member is an unknown dtype, not "needs NaN"', async () => {
    for (const dtype of ['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf']) {
      const dir = await freshFolder();
      const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
      m.weightsManifest[0].weights[0].dtype = dtype;
      writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(m));
      const error = await expectFailure(
        dir,
        'invalid-manifest',
        new RegExp(`weights\\[0\\] \\("w"\\) has dtype "${dtype}"; expected one of "float32", "int32", "bool"`),
      );
      expect(error.message).not.toMatch(/NaN/);
    }
  });

  it('a shard named after an Object.prototype member is a missing weightFiles entry, not NaN bytes', async () => {
    for (const name of ['toString', 'constructor', 'valueOf']) {
      const dir = await freshFolder();
      const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
      m.weightsManifest[0].paths = [name];
      writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(m));
      const error = await expectFailure(
        dir,
        'invalid-manifest',
        new RegExp(`weightsManifest\\[0\\] names "${name}" but weightFiles has no entry for it`),
      );
      expect(error.message).not.toMatch(/NaN/);
    }
  });

  it('a file that holds more than it claimed while being read is caught (reads stop at size + 1)', async () => {
    const dir = await freshFolder();
    lie.shrinkBy = 1;
    try {
      await expectFailure(
        dir,
        'corrupt',
        /checkpoint\.json: holds more than the \d+ bytes expected: it grew while being read/,
      );
      const file = await freshFile();
      // The single file: its size checks come from the same descriptor, so the header arithmetic catches it.
      await expectFailure(file, 'truncated', /is \d+ bytes, its header and manifest say \d+/);
    } finally {
      lie.shrinkBy = 0;
    }
  });

  it('a .seqgen file whose header names an unknown format version is refused', async () => {
    const path = await freshFile();
    const bytes = readFileSync(path);
    bytes.writeUInt32LE(99, 8);
    writeFileSync(path, bytes);
    await expectFailure(
      path,
      'unsupported-version',
      /header says format version 99, which is not supported \(this @seqgen\/core reads versions 1, 2\)/,
    );
    bytes.writeUInt32LE(0, 8);
    writeFileSync(path, bytes);
    await expectFailure(path, 'unsupported-version', /header says format version 0/);
  });
});

describe('checkManifest', () => {
  it('runs on the validated manifest before any weight byte is read, and can refuse it', async () => {
    const dir = await freshFolder();
    rmSync(join(dir, shardName(dir)));
    const seen: string[] = [];
    const refusal = new CheckpointError('invalid-weights', dir, 'refused by the caller');
    const error = await loadCheckpoint(dir, {
      checkManifest: (manifest, path) => {
        seen.push(`${manifest.config.type} ${path}`);
        throw refusal;
      },
    }).catch((e: unknown) => e);
    expect(error).toBe(refusal);
    expect(seen).toEqual([`t ${dir}`]);
    const file = await freshFile();
    const called: string[] = [];
    await loadCheckpoint(file, { checkManifest: (m) => void called.push(m.config.type) });
    expect(called).toEqual(['t']);
  });
});

describe('describeValue', () => {
  it('quotes strings, shows numbers as written, escapes control characters and cuts long values', () => {
    expect(describeValue('256')).toBe('"256"');
    expect(describeValue(256)).toBe('256');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue('a\u001bb')).toBe('"a\\u001bb"');
    expect(describeValue('x'.repeat(500), 20)).toHaveLength(20);
    expect(describeValue(10n)).toBe('10n');
  });
});
