/**
 * The file calls token shards need: positioned reads and writes on open
 * descriptors, fsync and atomic rename, and SHA-256. Node provides them
 * (`./node.ts`); the browser build throws a ConfigError saying shards need Node.
 */
export type TokenFiles = {
  /** Whether this runtime has files at all. */
  readonly available: boolean;
  /** `name` inside the folder `dir`. */
  join(dir: string, name: string): string;
  /** Creates a folder (and its parents). */
  makeFolder(dir: string): void;
  /** Names in a folder, or undefined when it does not exist or is not a folder. */
  list(dir: string): string[] | undefined;
  /** Kind and size of a path; undefined when it does not exist. */
  stat(path: string): { isFile: boolean; isDirectory: boolean; size: number } | undefined;
  /** A file's whole text (small files only: manifests). */
  readText(path: string): string;
  /** Opens a file for reading; returns its descriptor. */
  openRead(path: string): number;
  /** Creates (or truncates) a file for writing; returns its descriptor. */
  openWrite(path: string): number;
  /** Size in bytes of an open file. */
  size(fd: number): number;
  /** Reads up to `length` bytes at `position` into `into` from `offset`; returns the bytes read (0 at the end). */
  read(fd: number, into: Uint8Array, offset: number, length: number, position: number): number;
  /** Appends all of `bytes`. */
  write(fd: number, bytes: Uint8Array): void;
  /** Flushes a file's data to the disk. */
  sync(fd: number): void;
  close(fd: number): void;
  /** Renames atomically (same folder). */
  rename(from: string, to: string): void;
  /** Deletes a file if it exists. */
  remove(path: string): void;
  /** An incremental SHA-256 (hex digest). */
  sha256(): { update(bytes: Uint8Array): void; digest(): string };
};
