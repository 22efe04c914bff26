import { checkVocabulary, InputError, resolveGenerationOptions } from '@seqgen/app-kit';
import { type GenerationConfig, generate as generateBatch, stream } from '@seqgen/samplers';
import type { Command } from 'commander';
import { loadLanguageModel } from './checkpoint.js';
import { UNK } from './tokenizer-choice.js';

export interface GenerateOptions {
  checkpoint: string;
  prime: string;
  length: number;
  temperature: number;
  topK?: number;
  topP: number;
  seed?: number;
  strategy: 'greedy' | 'sample' | 'beam';
  beams: number;
  /** Refuse a prime with characters outside the vocabulary instead of warning. */
  strict?: boolean;
  /** The parsed command: options the user set that do not apply are refused as the samplers refuse them. */
  command?: Command;
  /** Receives text as it is produced (default: stdout). */
  write?: (text: string) => void;
  /** Receives warnings (default: stderr). */
  warn?: (message: string) => void;
}

export interface GenerateResult {
  text: string;
  /** Tokens generated after the prime. */
  tokens: number;
  config: GenerationConfig;
}

/** Streams a continuation of `prime` (greedy or sampled); beam search prints its best beam at the end. */
export async function generateText(options: GenerateOptions): Promise<GenerateResult> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const warn = options.warn ?? ((message: string) => void process.stderr.write(`seqgen-text: warning: ${message}\n`));
  const { model, tokenizer } = await loadLanguageModel(options.checkpoint);
  try {
    checkVocabulary(options.prime, tokenizer, { what: '--prime', strict: options.strict, warn, unkToken: UNK });
    const prompt = tokenizer.encode(options.prime);
    if (prompt.length === 0) throw new InputError('--prime must hold at least one token');
    const unk = tokenizer.tokenToId(UNK);
    const wanted: Partial<GenerationConfig> = {
      maxNewTokens: options.length,
      temperature: options.strategy === 'greedy' ? 0 : options.temperature,
      topK: options.topK ?? null,
      topP: options.topP,
      seed: options.seed ?? null,
      bannedTokens: unk === undefined ? [] : [unk],
      numBeams: options.strategy === 'beam' ? options.beams : 1,
    };
    // Without a command (the demo), every field counts as the app's own default.
    const flags = { temperature: 'temperature', topK: 'topK', topP: 'topP' } as const;
    const config = options.command
      ? resolveGenerationOptions(options.command, wanted, flags)
      : resolveGenerationOptions(noCommand, wanted, flags);
    let text = options.prime;
    let tokens = 0;
    write(options.prime);
    if (config.numBeams > 1) {
      const out = await generateBatch(model, prompt, config);
      const ids = out.sequences[0]?.tokens ?? [];
      const more = tokenizer.decode(ids);
      tokens = ids.length;
      write(more);
      text += more;
    } else {
      for await (const piece of stream(model, prompt, config, { decode: (ids) => tokenizer.decode(ids) })) {
        write(piece.text ?? '');
        text += piece.text ?? '';
        tokens++;
      }
    }
    write('\n');
    return { text, tokens, config };
  } finally {
    model.dispose();
  }
}

/** Stands in for a parsed command when there is none: no option counts as given. */
const noCommand = { getOptionValueSource: () => undefined, options: [] } as unknown as Command;
