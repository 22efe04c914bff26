import { ConfigError } from '@seqgen/core';

/** Selects parameters by name: a glob (`*` within a path segment, `**` across segments) or a RegExp. */
export type NamePattern = string | RegExp;

/** Compiles a glob to an anchored RegExp; names are `/`-separated like `encoder/gru/kernel`. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        source += '.*';
        i++;
      } else source += '[^/]*';
    } else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** True when `name` matches at least one pattern: a glob (`*` within a `/` segment, `**` across) or a RegExp. */
export function matchesAny(name: string, patterns: readonly NamePattern[]): boolean {
  return patterns.some((p) => (typeof p === 'string' ? globToRegExp(p).test(name) : p.test(name)));
}

/** Names in `names` selected by `patterns`; a pattern that selects nothing is a config error (a typo would silently train everything). */
export function selectNames(names: readonly string[], patterns: readonly NamePattern[], field: string): Set<string> {
  const out = new Set<string>();
  for (const p of patterns) {
    const hits = names.filter((n) => matchesAny(n, [p]));
    if (hits.length === 0)
      throw new ConfigError(field, `pattern ${String(p)} matches no parameter (have: ${names.join(', ')})`);
    for (const h of hits) out.add(h);
  }
  return out;
}
