#!/usr/bin/env node
// Packs every publishable workspace package the way `changeset publish` does
// (pnpm pack rewrites workspace: ranges) and fails if a packed package.json
// still holds a workspace: range, or lacks a file its exports/bin point to.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'seqgen-pack-'));
let failures = 0;
let checked = 0;
for (const dir of readdirSync(join(root, 'packages'))) {
  const pkgDir = join(root, 'packages', dir);
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  } catch {
    continue;
  }
  if (pkg.private) continue;
  const tarball = execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: pkgDir, encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
  const packed = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
  const problems = [];
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
    for (const [name, range] of Object.entries(packed[field] ?? {})) {
      if (String(range).startsWith('workspace:')) problems.push(`${field}.${name} is still "${range}"`);
    }
  }
  const targets = [];
  const walk = (v) => (typeof v === 'string' ? targets.push(v) : v && Object.values(v).forEach(walk));
  walk(packed.exports);
  walk(packed.bin);
  for (const target of targets) {
    if (target.endsWith('package.json')) continue;
    if (!listing.includes(`package/${target.replace(/^\.\//, '')}`)) problems.push(`${target} is not in the tarball`);
  }
  checked++;
  if (problems.length) {
    failures++;
    console.error(`✗ ${pkg.name}: ${problems.join('; ')}`);
  } else {
    console.log(`✓ ${pkg.name}@${packed.version}: ${listing.filter(Boolean).length} files, no workspace: ranges`);
  }
}
rmSync(out, { recursive: true, force: true });
if (checked === 0) {
  console.error('no publishable packages found');
  process.exit(1);
}
process.exit(failures ? 1 : 0);
