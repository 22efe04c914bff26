#!/usr/bin/env node
// Skipped tests, counted: every workspace package with a `test` script writes a
// vitest JSON summary to `.tmp/test-report.json` (vitest.backends.ts `testReport`,
// all of its projects together). After `turbo run test`, this prints
// `<package>: N passed, M skipped` for each and fails when a package skipped more
// tests than `.ci/skip-allowance.json` allows (0 for a package not listed), or when
// a report is missing or unreadable, so that a skip can never hide a whole suite.
//
//   node scripts/check-skips.mjs --clear   before the tests: delete every package's report,
//                                          so that none left by an earlier run can count
//                                          (turbo restores a cached run's report itself)
//   node scripts/check-skips.mjs           after the tests: print, compare, exit 1 on a problem
//   --root DIR                             another workspace (tests of this script)
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const REPORT = join('.tmp', 'test-report.json');
const ALLOWANCE = join('.ci', 'skip-allowance.json');

const args = process.argv.slice(2);
const rootArg = args.indexOf('--root');
const root = rootArg >= 0 ? resolve(args[rootArg + 1] ?? '.') : new URL('..', import.meta.url).pathname;
const clear = args.includes('--clear');

/** The `packages:` globs of pnpm-workspace.yaml (`dir/*` or a plain folder). */
function workspaceGlobs() {
  const lines = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').split('\n');
  const globs = [];
  let inPackages = false;
  for (const line of lines) {
    if (/^packages:\s*$/.test(line)) inPackages = true;
    else if (inPackages) {
      const item = /^\s+-\s*["']?([^"'#\s]+)["']?\s*(#.*)?$/.exec(line);
      if (item) globs.push(item[1]);
      else if (/^\S/.test(line)) inPackages = false;
    }
  }
  return globs;
}

/** Workspace packages that have a `test` script: { name, dir }. */
function testedPackages() {
  const dirs = [];
  for (const glob of workspaceGlobs()) {
    if (glob.startsWith('!')) continue;
    if (glob.endsWith('/*')) {
      const parent = join(root, glob.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent).sort()) {
        if (statSync(join(parent, entry)).isDirectory()) dirs.push(join(parent, entry));
      }
    } else dirs.push(join(root, glob));
  }
  const out = [];
  for (const dir of dirs) {
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (pkg.scripts?.test) out.push({ name: pkg.name ?? relative(root, dir), dir });
  }
  return out;
}

const packages = testedPackages();

if (clear) {
  for (const p of packages) rmSync(join(p.dir, REPORT), { force: true });
  console.log(`check-skips: cleared the test reports of ${packages.length} packages`);
  process.exit(0);
}

let allowance;
try {
  allowance = JSON.parse(readFileSync(join(root, ALLOWANCE), 'utf8')).skipped ?? {};
} catch (error) {
  console.error(`check-skips: cannot read ${ALLOWANCE}: ${error.message}`);
  process.exit(1);
}

const SKIPPED = new Set(['skipped', 'pending', 'todo', 'disabled']);
const problems = [];
let totalPassed = 0;
let totalSkipped = 0;
for (const p of packages) {
  const file = join(p.dir, REPORT);
  const where = relative(root, file);
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const why = existsSync(file) ? `unreadable (${error.message})` : 'missing';
    console.log(`${p.name}: no test report`);
    problems.push(
      `${p.name}: ${where} is ${why}; did its tests run this time, with the reporters of vitest.backends.ts (testReport)?`,
    );
    continue;
  }
  const passed = report.numPassedTests ?? 0;
  const failed = report.numFailedTests ?? 0;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  const allowed = allowance[p.name] ?? 0;
  totalPassed += passed;
  totalSkipped += skipped;
  const note = skipped < allowed ? ` (allowed ${allowed}: lower it in ${ALLOWANCE})` : '';
  console.log(`${p.name}: ${passed} passed, ${skipped} skipped${failed ? `, ${failed} failed` : ''}${note}`);
  if (!report.success || failed > 0 || !Array.isArray(report.testResults) || report.numTotalTests === 0) {
    problems.push(`${p.name}: ${where} records a failed or empty run`);
  }
  if (skipped > allowed) {
    const names = (report.testResults ?? []).flatMap((f) =>
      (f.assertionResults ?? [])
        .filter((t) => SKIPPED.has(t.status))
        .map((t) => `    ${relative(p.dir, f.name ?? '')} > ${t.fullName ?? t.title}`),
    );
    const shown = names.slice(0, 40).join('\n');
    const more = names.length > 40 ? `\n    … and ${names.length - 40} more` : '';
    problems.push(
      `${p.name}: ${skipped} skipped, ${allowed} allowed by ${ALLOWANCE}. Skipped:\n${shown}${more}\n` +
        '  Make them run (is everything they need here? @seqgen/native built?), or raise the allowance in the same change, saying why.',
    );
  }
}
for (const name of Object.keys(allowance)) {
  if (!packages.some((p) => p.name === name)) problems.push(`${ALLOWANCE} names ${name}, which has no tests here`);
}

console.log(`check-skips: ${packages.length} packages, ${totalPassed} passed, ${totalSkipped} skipped`);
if (problems.length > 0) {
  console.error(`\ncheck-skips: ${problems.length} problem(s):\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exit(1);
}
