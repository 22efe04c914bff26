#!/usr/bin/env node
// Packs every publishable workspace package the way `changeset publish` does
// (pnpm pack rewrites workspace: ranges) and fails if a packed package.json
// still holds a workspace: range, or lacks a file its exports/bin point to; if
// a tarball lacks the root LICENSE, repository (with directory) / homepage /
// bugs, or ships source maps; or if a package that promises no TensorFlow.js
// (TFJS_FREE) would install one through its dependency closure.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const license = readFileSync(join(root, 'LICENSE'), 'utf8');
/** Packages whose README promises that installing them installs no TensorFlow.js. */
const TFJS_FREE = ['@seqgen/base', '@seqgen/tokenizers', '@seqgen/text', '@seqgen/midi', '@seqgen/audio'];
/** Packed manifests by name, for the dependency closures checked at the end. */
const packedManifests = new Map();
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
  if (tarFile(tarball, 'package/LICENSE') !== license) problems.push('LICENSE is missing or differs from the root one');
  if (packed.license !== 'MIT') problems.push(`license is ${JSON.stringify(packed.license)}, not "MIT"`);
  if (!packed.repository?.url || packed.repository.directory !== `packages/${dir}`) {
    problems.push(`repository must have a url and directory "packages/${dir}"`);
  }
  if (!packed.homepage) problems.push('no homepage');
  if (!packed.bugs?.url) problems.push('no bugs.url');
  const maps = listing.filter((file) => file.endsWith('.map'));
  if (maps.length) problems.push(`ships source maps (${maps.slice(0, 3).join(', ')}…)`);
  packedManifests.set(packed.name, packed);
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

// What `npm install <name>` would install: the packed manifests for seqgen's own
// packages, the installed package.json of everything else (peers included: npm 7+
// installs them). Optional dependencies count too: npm tries to install them.
for (const name of TFJS_FREE) {
  if (!packedManifests.has(name)) continue;
  const tfjs = [];
  const seen = new Set();
  const visit = (manifest, path, fromDir) => {
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const dep of Object.keys(manifest[field] ?? {})) {
        if (seen.has(dep)) continue;
        seen.add(dep);
        if (dep.startsWith('@tensorflow/')) tfjs.push([...path, dep].join(' → '));
        const own = packedManifests.get(dep);
        if (own) visit(own, [...path, dep], join(root, 'packages', dep.slice('@seqgen/'.length)));
        else {
          const installed = installedManifest(dep, fromDir);
          if (installed) visit(installed.manifest, [...path, dep], installed.dir);
        }
      }
    }
  };
  visit(packedManifests.get(name), [name], join(root, 'packages', name.slice('@seqgen/'.length)));
  if (tfjs.length) {
    failures++;
    console.error(`✗ ${name} promises no TensorFlow.js, but installing it installs ${tfjs.join('; ')}`);
  } else {
    console.log(`✓ ${name}: ${seen.size} dependencies in its install closure, none from @tensorflow`);
  }
}

if (checked === 0) {
  console.error('no publishable packages found');
  process.exit(1);
}
process.exit(failures ? 1 : 0);

/** A file's text inside a tarball, or undefined when it is not there. */
function tarFile(tarball, path) {
  try {
    return execFileSync('tar', ['-xzOf', tarball, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** The package.json of `name` as Node would resolve it from `fromDir` (pnpm's layout included). */
function installedManifest(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) {
      const real = realpathSync(candidate);
      return { manifest: JSON.parse(readFileSync(join(real, 'package.json'), 'utf8')), dir: real };
    }
    if (dir === dirname(dir)) return undefined;
  }
}
