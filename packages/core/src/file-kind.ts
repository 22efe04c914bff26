/**
 * What {@link fileKind} reads of a file's status: Node's `fs.Stats` has it. Typed
 * structurally so that core's types need no `@types/node`.
 */
export interface FileStats {
  /** True for a regular file. */
  isFile(): boolean;
  /** True for a directory. */
  isDirectory(): boolean;
  /** True for a named pipe (FIFO). */
  isFIFO(): boolean;
  /** True for a character device (`/dev/null`, a terminal). */
  isCharacterDevice(): boolean;
  /** True for a block device. */
  isBlockDevice(): boolean;
  /** True for a Unix socket. */
  isSocket(): boolean;
  /** True for a symbolic link (only from `lstat`; `stat` follows links). */
  isSymbolicLink(): boolean;
}

/**
 * What a file that is not a regular file is, as a noun phrase for messages
 * ("a FIFO (named pipe)", "a character device"…): every reader of untrusted
 * paths (checkpoints, weights, corpora) refuses such files the same way.
 */
export function fileKind(stats: FileStats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}
