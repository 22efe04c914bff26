// API reference for every publishable package (packages/* without "private": true), from the
// TSDoc of what each package's src/index.ts exports: `pnpm docs` writes docs/api/ (git-ignored).
// Every exported symbol must be documented, with no allowance list: a missing comment is a
// warning, and warnings fail the run, so `pnpm docs` is also CI's documentation check.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const publishable = readdirSync('packages')
  .map((dir) => `packages/${dir}`)
  .filter((dir) => existsSync(`${dir}/package.json`) && existsSync(`${dir}/src/index.ts`))
  .filter((dir) => !JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')).private);

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'seqgen',
  // One TypeScript program over all packages (tsconfig.typedoc.json maps @seqgen/* to their
  // sources, so that links across packages resolve): 4x faster than typedoc's "packages" mode.
  entryPoints: publishable.map((dir) => `${dir}/src/index.ts`),
  tsconfig: 'tsconfig.typedoc.json',
  plugin: ['./scripts/typedoc-package-names.mjs'],
  out: 'docs/api',
  readme: 'none',
  excludePrivate: true,
  excludeInternal: true,
  disableSources: true,
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  // TypeDoc checks only the root package's symbols unless told which packages to check.
  packagesRequiringDocumentation: publishable.map(
    (dir) => JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')).name,
  ),
  // No exceptions and no allowance list (the old .ci/undocumented-allowance.json was emptied and
  // deleted): every exported symbol, down to each field of an option or result type, has TSDoc.
  // Rather than leave an inline object type's fields undocumented, name it as an exported,
  // documented `type X = { ... }` (an alias, not an interface, when replacing an inline type: it
  // keeps the implicit index signature, so e.g. a step result still passes through tf.tidy).
  treatWarningsAsErrors: true,
  // Type errors are typecheck's job (turbo typecheck); here only the declarations matter.
  skipErrorChecking: true,
};
