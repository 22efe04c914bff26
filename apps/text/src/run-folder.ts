import { basename, join } from 'node:path';

/** Where a run goes when --out is not given: runs/<corpus file or folder name, without extension>. */
export function defaultRunFolder(corpus: string): string {
  return join('runs', basename(corpus.replace(/[/\\]+$/, '')).replace(/\.[^.]*$/, '') || 'corpus');
}
