import { createInterface } from 'node:readline';
import type { LoadedChatbot } from './checkpoint.js';
import { type HistoryTurn, type ReplySettings, streamReply } from './reply.js';

export interface ReplOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Where notes (help, errors) go; default `output`. */
  notes?: NodeJS.WritableStream;
  /** Called when the REPL wants the process's SIGINT (it removes the listener on exit). */
  signals?: NodeJS.EventEmitter;
}

export const REPL_HELP = [
  'commands:',
  '  /reset            forget the conversation so far',
  '  /temperature X    sampling temperature (0: greedy)',
  '  /top-p X          nucleus sampling mass in (0, 1]',
  '  /history          show the conversation so far',
  '  /help             this list',
  '  /quit             leave (or Ctrl-C at an empty prompt, or Ctrl-D)',
  'Ctrl-C while the bot is answering stops the reply.',
].join('\n');

/**
 * The chat REPL: reads a line, streams the bot's reply token by token, keeps
 * the history (the model sees its last turns). Ctrl-C during a reply stops
 * that reply (what was written stays in the history); Ctrl-C at an empty
 * prompt, `/quit` or end of input leaves. Returns the history.
 */
export async function runRepl(
  bot: LoadedChatbot,
  initial: ReplySettings,
  options: ReplOptions,
): Promise<HistoryTurn[]> {
  const { input, output } = options;
  const notes = options.notes ?? output;
  const settings: ReplySettings = { ...initial };
  const history: HistoryTurn[] = [];
  const isTerminal = Boolean((input as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input, output, prompt: 'you> ', terminal: isTerminal });
  const note = (line: string) => void notes.write(`${line}\n`);
  let replying: AbortController | undefined;
  // Set by /quit and Ctrl-C at an empty prompt; end of input instead lets the lines already read be answered.
  let leaving = false;
  let closed = false;

  const onInterrupt = () => {
    if (replying) {
      replying.abort(new Error('stopped'));
      return;
    }
    if (rl.line !== '' && isTerminal) {
      // Like a shell: Ctrl-C drops the half-typed line.
      output.write('^C\n');
      (rl as unknown as { line: string }).line = '';
      rl.prompt();
      return;
    }
    output.write('\n');
    leaving = true;
    rl.close();
  };
  rl.on('SIGINT', onInterrupt);
  const signals = options.signals ?? process;
  signals.on('SIGINT', onInterrupt);
  rl.on('close', () => {
    closed = true;
  });

  const command = (line: string): void => {
    const [name = '', ...rest] = line.split(/\s+/);
    const arg = rest.join(' ');
    const value = Number(arg);
    switch (name) {
      case '/reset':
        history.length = 0;
        note('(conversation forgotten)');
        return;
      case '/history':
        if (history.length === 0) note('(no conversation yet)');
        for (const turn of history) note(`${turn.role === 'user' ? 'you' : 'bot'}> ${turn.text}`);
        return;
      case '/temperature':
        if (arg === '' || !Number.isFinite(value) || value < 0 || value > 5) {
          note(`/temperature needs a number in [0, 5] (now ${settings.temperature})`);
          return;
        }
        settings.temperature = value;
        note(`(temperature ${value}${value === 0 ? ': greedy' : ''})`);
        return;
      case '/top-p':
        if (arg === '' || !Number.isFinite(value) || value <= 0 || value > 1) {
          note(`/top-p needs a number in (0, 1] (now ${settings.topP})`);
          return;
        }
        settings.topP = value;
        note(`(top-p ${value})`);
        return;
      case '/help':
        note(REPL_HELP);
        return;
      case '/quit':
      case '/exit':
        leaving = true;
        rl.close();
        return;
      default:
        note(`unknown command ${name} (try /help)`);
    }
  };

  note('Chat with the bot; /help lists the commands.');
  rl.prompt();
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line.startsWith('/')) command(line);
      else if (line !== '') {
        history.push({ role: 'user', text: line });
        output.write('bot> ');
        replying = new AbortController();
        let written = '';
        try {
          written = await streamReply(bot, history, settings, {
            signal: replying.signal,
            onText: (delta) => {
              written += delta;
              output.write(delta);
            },
          });
          output.write('\n');
        } catch (error) {
          if (!replying.signal.aborted) throw error;
          output.write(' [stopped]\n');
          written = written.trim();
        } finally {
          replying = undefined;
        }
        if (written !== '') history.push({ role: 'bot', text: written });
      }
      if (leaving) break;
      if (!closed) rl.prompt();
    }
  } finally {
    signals.off('SIGINT', onInterrupt);
    rl.close();
  }
  return history;
}
