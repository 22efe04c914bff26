import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import { checkOutFolder, RunFolder, readRunInfo, writeOutputFile, writeRunInfo } from './run-folder.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-kit-run-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hidden = () => readdirSync(dir).filter((f) => f.startsWith('.'));

function previousRun(name: string): string {
  const out = join(dir, name);
  mkdirSync(out);
  writeFileSync(join(out, 'checkpoint.json'), '{"old":true}');
  return out;
}

describe('RunFolder', () => {
  it('stages beside the final folder and publishes by rename', () => {
    const out = join(dir, 'nested', 'run');
    const run = RunFolder.create(out);
    expect(run.staging.startsWith(join(dir, 'nested', '.run.staging-'))).toBe(true);
    writeFileSync(run.path('checkpoint.json'), '{}');
    expect(existsSync(out)).toBe(false);
    run.publish();
    expect(run.published).toBe(true);
    expect(readdirSync(out)).toEqual(['checkpoint.json']);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['run']);
  });

  it('never overwrites a previous run without force; with force replaces it whole', () => {
    const out = previousRun('run');
    expect(() => RunFolder.create(out)).toThrow(/refusing to overwrite --out .*run: it holds a previous run \(--force/);
    const run = RunFolder.create(out, { force: true });
    writeFileSync(run.path('new.txt'), 'new');
    expect(readFileSync(join(out, 'checkpoint.json'), 'utf8')).toBe('{"old":true}'); // untouched until publish
    run.publish();
    expect(readdirSync(out)).toEqual(['new.txt']);
    expect(hidden()).toEqual([]);
  });

  it('refuses a file, and a folder of other things even with force', () => {
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => checkOutFolder(join(dir, 'file'), { force: true })).toThrow(InputError);
    expect(() => checkOutFolder(join(dir, 'file'))).toThrow(/it is a file/);
    mkdirSync(join(dir, 'precious'));
    writeFileSync(join(dir, 'precious', 'notes.txt'), 'keep');
    expect(() => RunFolder.create(join(dir, 'precious'), { force: true })).toThrow(/not a seqgen checkpoint folder/);
    mkdirSync(join(dir, 'empty'));
    const run = RunFolder.create(join(dir, 'empty'));
    writeFileSync(run.path('a'), 'a');
    run.publish();
    expect(readdirSync(join(dir, 'empty'))).toEqual(['a']);
  });

  it('publish checks again: a run that appeared meanwhile is not replaced', () => {
    const run = RunFolder.create(join(dir, 'late'));
    previousRun('late');
    expect(() => run.publish()).toThrow(/holds a previous run/);
    run.discard();
    expect(hidden()).toEqual([]);
  });

  it('discard removes the staging folder; so does process exit', () => {
    const run = RunFolder.create(join(dir, 'gone'));
    writeFileSync(run.path('x'), 'x');
    run.discard();
    expect(hidden()).toEqual([]);
    const script = `import { writeFileSync } from 'node:fs';
      import { RunFolder } from './src/run-folder.ts';
      const run = RunFolder.create(${JSON.stringify(join(dir, 'exiting'))});
      writeFileSync(run.path('x'), 'x');
      process.exit(7);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..'),
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(7);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('records and reads run.json', () => {
    writeRunInfo(dir, { app: 'x', options: { steps: 3 } });
    expect(readRunInfo(dir)).toEqual({ app: 'x', options: { steps: 3 } });
    expect(() => readRunInfo(join(dir, 'none'))).toThrow(/--resume .*none: no run\.json there/);
    writeFileSync(join(dir, 'run.json'), '[1');
    expect(() => readRunInfo(dir)).toThrow(/run\.json is not a valid run record/);
  });

  it('writes single output files without overwriting unless forced', () => {
    const path = join(dir, 'report.json');
    writeOutputFile(path, 'a');
    expect(() => writeOutputFile(path, 'b')).toThrow(/refusing to overwrite --out .*report\.json: it exists/);
    writeOutputFile(path, 'b', { force: true });
    expect(readFileSync(path, 'utf8')).toBe('b');
    expect(readdirSync(dir)).toEqual(['report.json']);
  });
});
