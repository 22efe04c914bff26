import type { Seed } from './test-fixtures/seeds.js';

/** Where a target keeps its files while it runs (inside one worker process). */
export interface FuzzContext {
  /** Shared by every worker of a run: seeds written once, read by the next worker. */
  workDir: string;
  /** A fresh empty folder for one input (removed after it). */
  scratch(): string;
}

/** The JSON document inside an input (a whole file, or a header framed by binary fields). */
export interface JsonSlot {
  text: string;
  /** The input with `text` in place of the JSON, its framing (declared lengths) updated. */
  rebuild(text: string): Uint8Array;
}

/**
 * One parser under test. `parse` runs the real parser on one input (in a
 * worker process, under a time and memory limit); anything it throws must be
 * a typed error (`isTypedError`), never anything else.
 */
export interface Target {
  name: string;
  /** What is parsed, in words (README table). */
  parser: string;
  /** Real inputs the mutators start from. */
  seeds(ctx: FuzzContext): Promise<Seed[]>;
  parse(input: Uint8Array, ctx: FuzzContext): Promise<void>;
  isTypedError(error: unknown): boolean;
  /** Seeds that are hostile themselves (each must give a valid result or a typed error), not valid files. */
  hostileSeeds?: boolean;
  /** The JSON in an input, when it has one: JSON-aware mutators edit it. */
  json?(input: Uint8Array): JsonSlot | undefined;
}

/** What happened to one input. */
export type Outcome = 'ok' | 'typed' | 'untyped' | 'hang' | 'crash';

export interface RunResult {
  outcome: Outcome;
  /** `Name: first line of the message` for errors, the reason for hangs and crashes. */
  error?: string;
  ms: number;
}

/** A generated input and how it was made. */
export interface FuzzInput {
  bytes: Uint8Array;
  description: string;
}
