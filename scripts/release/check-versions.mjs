#!/usr/bin/env node
/**
 * Versions and internal ranges that stay consistent through releases:
 * - every publishable package (packages/* without "private") has a real version
 *   (not 0.0.0), and all of them share one: .changeset/config.json releases them as
 *   one "fixed" group, so that a user never mixes a @seqgen/core of one release
 *   with a @seqgen/cells built against another (two copies of core's registry and
 *   error classes in one process break `fromConfig` and `instanceof`);
 * - the fixed group names exactly the publishable packages;
 * - a publishable package depends on other @seqgen packages only through
 *   `workspace:^` (pnpm writes `^<their version>` into the tarball) and never on a
 *   private one, outside devDependencies;
 * - every pending changeset names only publishable packages.
 * Usage: node scripts/release/check-versions.mjs [repo root]; exits 1 listing what is wrong.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The workspace packages under `root`: `{ dir, pkg }` for every folder with a package.json. */
export function workspacePackages(root) {
  return ['packages', 'apps', 'benchmarks'].flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group))
          .map((name) => join(root, group, name))
          .filter((dir) => existsSync(join(dir, 'package.json')))
          .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
      : [],
  );
}

/** Every inconsistency found under `root`, in words; empty when all is well. */
export function versionProblems(root) {
  const problems = [];
  const all = workspacePackages(root);
  const publishable = all.filter(({ dir, pkg }) => dir.includes(`${join(root, 'packages')}/`) && !pkg.private);
  const names = new Set(publishable.map(({ pkg }) => pkg.name));
  const privateNames = new Set(all.filter(({ pkg }) => pkg.private).map(({ pkg }) => pkg.name));

  const versions = new Set(publishable.map(({ pkg }) => pkg.version));
  for (const { pkg } of publishable) {
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(pkg.version ?? '') || pkg.version === '0.0.0') {
      problems.push(`${pkg.name}: version "${pkg.version}" is not a released version (start at 0.1.0)`);
    }
  }
  if (versions.size > 1) {
    problems.push(
      `publishable packages have different versions (${publishable.map(({ pkg }) => `${pkg.name}@${pkg.version}`).join(', ')}); they are released together`,
    );
  }

  const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'));
  const fixed = new Set((config.fixed ?? []).flat());
  for (const name of names) if (!fixed.has(name)) problems.push(`.changeset/config.json: "fixed" lacks ${name}`);
  for (const name of fixed)
    if (!names.has(name)) problems.push(`.changeset/config.json: "fixed" names ${name}, not a publishable package`);
  if (config.access !== 'public') problems.push('.changeset/config.json: "access" must be "public" (scoped packages)');

  for (const { pkg } of publishable) {
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [dep, range] of Object.entries(pkg[field] ?? {})) {
        if (!dep.startsWith('@seqgen/')) continue;
        if (privateNames.has(dep)) problems.push(`${pkg.name}: ${field}.${dep} is a private package`);
        else if (!names.has(dep)) problems.push(`${pkg.name}: ${field}.${dep} is not a workspace package`);
        else if (range !== 'workspace:^')
          problems.push(`${pkg.name}: ${field}.${dep} is "${range}", not "workspace:^"`);
      }
    }
  }

  const changesetDir = join(root, '.changeset');
  for (const file of readdirSync(changesetDir).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(changesetDir, file), 'utf8'))?.[1] ?? '';
    for (const line of front.split('\n').filter((l) => l.trim())) {
      const name = /^\s*["']?([^"':]+)["']?\s*:/.exec(line)?.[1];
      if (name && !names.has(name))
        problems.push(`.changeset/${file} names ${name}, which is not a publishable package`);
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = resolve(process.argv[2] ?? new URL('../..', import.meta.url).pathname);
  const problems = versionProblems(root);
  if (problems.length) {
    console.error(`versions and internal ranges are inconsistent:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('versions and internal ranges are consistent');
}
