import type { Stats } from 'node:fs';

/**
 * What a file that is not a regular file is, as a noun phrase for messages
 * ("a FIFO (named pipe)", "a character device"…): every reader of untrusted
 * paths (checkpoints, weights, corpora) refuses such files the same way.
 */
export function fileKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}
