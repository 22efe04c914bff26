import { TokenizerError } from '@seqgen/base';

/** An id ⇄ token table. Duplicates are refused: two ids for one token would make decoding ambiguous. */
export class Vocabulary {
  readonly tokens: readonly string[];
  private readonly ids: Map<string, number>;

  constructor(tokens: readonly string[], what = 'vocab') {
    const ids = new Map<string, number>();
    tokens.forEach((token, id) => {
      const previous = ids.get(token);
      if (previous !== undefined) {
        throw new TokenizerError(
          'corrupt',
          `${what}: duplicate entry ${JSON.stringify(token)} at ids ${previous} and ${id}`,
        );
      }
      ids.set(token, id);
    });
    this.tokens = tokens;
    this.ids = ids;
  }

  get size(): number {
    return this.tokens.length;
  }

  idOf(token: string): number | undefined {
    return this.ids.get(token);
  }

  tokenOf(id: number): string | undefined {
    return Number.isInteger(id) ? this.tokens[id] : undefined;
  }
}
