// Tests of check-skips.mjs against a fixture workspace (run by `pnpm test`: node --test).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('check-skips.mjs', import.meta.url));
const made = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const write = (file, value) => {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
};

/** A vitest JSON report with `passed` passing and `skipped` skipped tests in one file. */
const report = (dir, passed, skipped) => ({
  numTotalTests: passed + skipped,
  numPassedTests: passed,
  numFailedTests: 0,
  numPendingTests: skipped,
  numTodoTests: 0,
  success: true,
  testResults: [
    {
      name: join(dir, 'src', 'a.test.ts'),
      assertionResults: [
        ...Array.from({ length: passed }, (_, i) => ({ fullName: `runs ${i}`, status: 'passed' })),
        ...Array.from({ length: skipped }, (_, i) => ({ fullName: `suite skips ${i}`, status: 'skipped' })),
      ],
    },
  ],
});

/** A workspace with packages/a (allowed 2 skips), packages/b (none allowed) and a package without tests. */
function workspace({ aSkips = 1, bSkips = 0, bReport = true } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'seqgen-check-skips-'));
  made.push(root);
  write(
    join(root, 'pnpm-workspace.yaml'),
    'packages:\n  - packages/*\n  - "apps/*" # apps\n\nonlyBuiltDependencies:\n  - x\n',
  );
  write(join(root, '.ci', 'skip-allowance.json'), { skipped: { '@x/a': 2 } });
  for (const [name, dir] of [
    ['@x/a', 'packages/a'],
    ['@x/b', 'apps/b'],
  ]) {
    write(join(root, dir, 'package.json'), { name, scripts: { test: 'vitest run' } });
  }
  write(join(root, 'packages', 'docs', 'package.json'), { name: '@x/docs', scripts: {} });
  write(join(root, 'packages/a/.tmp/test-report.json'), report(join(root, 'packages/a'), 5, aSkips));
  if (bReport) write(join(root, 'apps/b/.tmp/test-report.json'), report(join(root, 'apps/b'), 3, bSkips));
  return root;
}

const run = (root, ...extra) => spawnSync(process.execPath, [script, '--root', root, ...extra], { encoding: 'utf8' });

test('within the allowance: prints each package and passes', () => {
  const r = run(workspace({ aSkips: 2 }));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^@x\/a: 5 passed, 2 skipped$/m);
  assert.match(r.stdout, /^@x\/b: 3 passed, 0 skipped$/m);
  assert.doesNotMatch(r.stdout, /docs/);
});

test('fewer skips than allowed pass, with a hint to lower the allowance', () => {
  const r = run(workspace({ aSkips: 0 }));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /@x\/a: 5 passed, 0 skipped \(allowed 2/);
});

test('more skips than allowed fail and name the skipped tests', () => {
  const r = run(workspace({ aSkips: 3 }));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /@x\/a: 3 skipped, 2 allowed/);
  assert.match(r.stderr, /src\/a\.test\.ts > suite skips 2/);
});

test('a package not in the allowance may skip nothing', () => {
  const r = run(workspace({ bSkips: 1 }));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /@x\/b: 1 skipped, 0 allowed/);
});

test('a missing report fails', () => {
  const r = run(workspace({ bReport: false }));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /@x\/b: apps\/b\/\.tmp\/test-report\.json is missing/);
});

test('a failed run recorded in a report fails', () => {
  const root = workspace();
  write(join(root, 'apps/b/.tmp/test-report.json'), { ...report(join(root, 'apps/b'), 3, 0), success: false });
  const r = run(root);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /@x\/b: .* records a failed or empty run/);
});

test('--clear deletes the reports of an earlier run, so that they cannot count again', () => {
  const root = workspace();
  const cleared = run(root, '--clear');
  assert.equal(cleared.status, 0, cleared.stderr);
  assert.equal(existsSync(join(root, 'packages/a/.tmp/test-report.json')), false);
  assert.equal(existsSync(join(root, 'apps/b/.tmp/test-report.json')), false);
  const r = run(root);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /@x\/a: .* is missing/);
});
