import { basename, resolve } from 'node:path';
import type { Output } from '@seqgen/app-kit';
import { type ChatMessage, type RunningServer, startServer } from '@seqgen/serve';
import { type LoadedChatbot, loadChatbot } from './checkpoint.js';
import { historyContext, keepRecent } from './examples.js';

export interface ServeOptions {
  checkpoint: string;
  port: number;
  host: string;
  maxBatch: number;
  maxQueue: number;
  output: Pick<Output, 'info' | 'printJson'>;
}

/** Where a reply ends in the served text: the model's <eos> is written as a line break, a stop string. */
const END_OF_REPLY = '\n';

/**
 * The chatbot as `@seqgen/serve` serves it: a chat request's messages become
 * the context the encoder reads (user → `A:`, assistant → `B:`, system
 * messages left out, as in training), the decoder starts from <bos>, and the
 * reply ends at <eos>, which the served text shows as a line break so that the
 * chat template's stop string ends it (a completion request sends its prompt
 * as the context; pass `stop: ["\n"]` to end at <eos> there too).
 */
export function servedChatbot(bot: LoadedChatbot, name: string) {
  const { padId, bosId, eosId } = bot.model.config;
  const unk = bot.tokenizer.tokenToId('<unk>');
  return {
    name,
    model: bot.model,
    tokenizer: {
      encode: (text: string) => bot.tokenizer.encode(text),
      decode: (ids: readonly number[]) => {
        let text = '';
        let run: number[] = [];
        for (const id of ids) {
          if (id === eosId) {
            text += bot.tokenizer.decode(run) + END_OF_REPLY;
            run = [];
          } else if (id !== padId && id !== bosId && id !== unk) run.push(id);
        }
        return text + bot.tokenizer.decode(run);
      },
    },
    prepare: (text: string) => ({
      promptIds: [bosId],
      condition: bot.model.encode([keepRecent(bot.tokenizer.encode(text), bot.metadata.maxContextTokens)]),
    }),
    chatPrompt: (messages: readonly ChatMessage[]) => ({
      prompt: historyContext(
        messages
          .filter((m) => m.role !== 'system')
          .map((m) => ({ role: m.role === 'user' ? ('user' as const) : ('bot' as const), text: m.content })),
        bot.metadata,
      ),
      stop: [END_OF_REPLY],
    }),
  };
}

/**
 * Serves a chat checkpoint over the OpenAI-compatible API of `@seqgen/serve`
 * (continuous batching) under the checkpoint folder's name, and says where.
 * Runs until the process is stopped.
 */
export async function serveCheckpoint(options: ServeOptions): Promise<{ server: RunningServer; bot: LoadedChatbot }> {
  const bot = await loadChatbot(options.checkpoint);
  const name = basename(resolve(options.checkpoint));
  const server = await startServer({
    models: [servedChatbot(bot, name)],
    port: options.port,
    host: options.host,
    maxBatch: options.maxBatch,
    maxQueue: options.maxQueue,
  });
  options.output.info(`${name}: POST /chat/completions and /completions, GET /models (OpenAI's API)`);
  options.output.printJson({ model: name, url: server.url, port: server.port, host: server.host });
  return { server, bot };
}
