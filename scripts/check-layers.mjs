#!/usr/bin/env node
// Fails when an import points up the layers (../shared/DESIGN.md, README "Layering"):
// every `@seqgen/<name>` a workspace package names — in an import, a dynamic
// import, a require or createRequire string, or package.json dependencies —
// must sit on a lower layer than the package itself. Test helpers
// (@seqgen/test-utils) may be named by tests and benchmarks only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
/** Layer of each workspace package: higher layers may use lower ones, never the reverse. */
const LAYER = {
  // tfjs-free errors, registry, option checks and codec contracts.
  '@seqgen/base': 0,
  '@seqgen/core': 1,
  // Test helpers sit just above core (they use its RNG); only tests above them may use them.
  '@seqgen/test-utils': 1.5,
  '@seqgen/native': 2,
  '@seqgen/cells': 3,
  '@seqgen/tokenizers': 3,
  '@seqgen/text': 3,
  // tfjs-free audio codecs and features (base only); a sibling of models.
  '@seqgen/audio': 3,
  // tfjs-free MIDI files, note sequences and music encodings (base only); a sibling of models.
  '@seqgen/midi': 3,
  '@seqgen/trainer': 4,
  '@seqgen/samplers': 4,
  // Image adapter: codecs, dataset readers, the CNN encoder; models (5) builds on it.
  '@seqgen/vision': 4.5,
  // Video adapter: GIF / frame-folder I/O, clips, Moving MNIST; built on vision's image codecs.
  '@seqgen/video': 4.75,
  '@seqgen/models': 5,
  // Whole-model PyTorch export/import (RecurrentLM, Seq2Seq): builds on models' configs and checkpoints.
  '@seqgen/interop': 5.25,
  // Reads traces and gradients of models (and of anything below them).
  '@seqgen/interpret': 5.5,
  '@seqgen/app-kit': 6,
  '@seqgen/serve': 6,
};
const TOP = 7; // apps, benchmarks, contract tests
const TEST_FILE = /(\.test\.ts|\/test\/|\/test-fixtures\/|\/bench\/)/;

const problems = [];
for (const group of ['packages', 'apps', 'benchmarks']) {
  for (const dir of readdirSync(join(root, group))) {
    const pkgDir = join(root, group, dir);
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    const own = LAYER[pkg.name] ?? (group === 'packages' && !pkg.private ? undefined : TOP);
    if (own === undefined) {
      problems.push(`${pkg.name}: not placed in a layer (add it to LAYER in scripts/check-layers.mjs)`);
      continue;
    }
    const check = (target, where, isTest) => {
      if (target === pkg.name) return;
      if (target === '@seqgen/test-utils' && !isTest) {
        problems.push(`${where}: names @seqgen/test-utils outside a test`);
        return;
      }
      const layer = LAYER[target];
      if (layer === undefined) problems.push(`${where}: names ${target}, which is not a layered package`);
      else if (layer >= own) problems.push(`${where}: ${pkg.name} (layer ${own}) names ${target} (layer ${layer})`);
    };
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      for (const name of Object.keys(pkg[field] ?? {})) {
        if (name.startsWith('@seqgen/')) check(name, `${relative(root, pkgDir)}/package.json ${field}`, false);
      }
    }
    for (const name of Object.keys(pkg.devDependencies ?? {})) {
      if (name.startsWith('@seqgen/')) check(name, `${relative(root, pkgDir)}/package.json devDependencies`, true);
    }
    for (const file of sources(pkgDir)) {
      // Comments may mention any package (docs); code may not.
      const text = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
        .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
      for (const match of text.matchAll(/['"`](@seqgen\/[a-z0-9-]+)/g)) {
        const line = text.slice(0, match.index).split('\n').length;
        check(match[1], `${relative(root, file)}:${line}`, TEST_FILE.test(file));
      }
    }
  }
}

function* sources(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(entry) && !entry.endsWith('.d.ts')) yield path;
  }
}

if (problems.length > 0) {
  process.stderr.write(`imports that point up the layers:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('layers: every @seqgen import points down\n');
