/**
 * What the trainer needs from the runtime beyond the web platform: files for
 * its JSONL log and loss plot, and a terminal progress bar. Shared code imports
 * `./node.js`; the browser build (tsup.config.ts) swaps that module for
 * `./browser.ts`, so no Node built-in is bundled for a page.
 */
export interface TrainerPlatform {
  /**
   * Whether text files can be written. In browsers they cannot: a
   * `checkpointDir` there is an `indexeddb://` prefix and holds checkpoints
   * only (no training log, no loss plot).
   */
  readonly files: boolean;
  /** `name` inside the folder or location `dir`. */
  joinPath(dir: string, name: string): string;
  /** Creates the folder a file will go in. */
  makeFolderOf(path: string): void;
  /** Whether a file exists. */
  exists(path: string): boolean;
  readText(path: string): string;
  /** Replaces a file's text, creating its folder. */
  writeText(path: string, text: string): void;
  /** Appends to a file, creating its folder. */
  appendText(path: string, text: string): void;
  /** Whether the standard error stream is a terminal (where the progress bar draws by default). */
  stderrIsTerminal(): boolean;
  /** A cli-progress bar drawing `format` on `stream` (default standard error). */
  createTerminalBar(format: string, stream: unknown, forceOutput: boolean): TerminalBar;
}

/** The few calls the trainer makes on a terminal progress bar. */
export interface TerminalBar {
  start(total: number, value: number, payload: Record<string, string | number>): void;
  update(value: number, payload: Record<string, string | number>): void;
  stop(): void;
}
