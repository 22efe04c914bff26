import { EXIT_CODES } from './errors.js';

/** Something a first Ctrl-C can stop gracefully: a trainer (it saves a resumable checkpoint, then returns). */
export interface Stoppable {
  stop(): void;
}

interface HandlerState {
  log: (line: string) => void;
  count: number;
  stoppers: Stoppable[];
  requested: boolean;
}

let state: HandlerState | undefined;
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function onSignal(signal: NodeJS.Signals): void {
  const s = state as HandlerState;
  s.count++;
  if (s.count === 1 && s.stoppers.length > 0) {
    s.requested = true;
    s.log(
      `\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping after this step and saving a resumable checkpoint ` +
        '(press Ctrl-C again to quit without saving)',
    );
    for (const stopper of s.stoppers) stopper.stop();
    return;
  }
  s.requested = true;
  if (s.count > 1) s.log('\nquitting without saving');
  // 'exit' handlers still run: unpublished run folders are removed (see RunFolder).
  process.exit(EXIT_CODES.interrupted);
}

/**
 * Installs the app's Ctrl-C (and SIGTERM) handling, once per process. Without
 * a registered {@link Stoppable}, a signal exits at once with code 130 (the
 * process's exit handlers remove unpublished run folders). While training,
 * the first signal asks the trainer to stop after its current step — the app
 * then saves a resumable checkpoint and says where — and a second one quits
 * at once, still leaving no staging folder behind.
 */
export function installInterruptHandler(
  log: (line: string) => void = (l) => void process.stderr.write(`${l}\n`),
): void {
  if (state) {
    state.log = log;
    return;
  }
  state = { log, count: 0, stoppers: [], requested: false };
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

/** Removes the handler (tests). */
export function uninstallInterruptHandler(): void {
  if (!state) return;
  for (const signal of SIGNALS) process.off(signal, onSignal);
  state = undefined;
}

/** True once the user pressed Ctrl-C (or sent SIGTERM) in this process. */
export function interruptRequested(): boolean {
  return state?.requested ?? false;
}

/**
 * Lets the first Ctrl-C stop `target` gracefully while the returned handle is
 * open (installs the handler if needed). If Ctrl-C came before (say, during
 * time calibration), `target` is stopped at once: it then takes one step, saves
 * and returns.
 */
export function stopOnInterrupt(target: Stoppable): { readonly interrupted: boolean; close(): void } {
  installInterruptHandler(state?.log);
  const s = state as HandlerState;
  s.stoppers.push(target);
  if (s.requested) target.stop();
  return {
    get interrupted() {
      return s.requested;
    },
    close() {
      const i = s.stoppers.indexOf(target);
      if (i >= 0) s.stoppers.splice(i, 1);
    },
  };
}

/**
 * Resolves after pending I/O and signal callbacks have run. A training loop
 * that awaits this once per step (e.g. in its step callback) reacts to Ctrl-C
 * within one step even when every await in the step is a microtask.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
