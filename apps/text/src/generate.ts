import { generate as generateBatch, stream } from '@seqgen/samplers';
import { loadLanguageModel } from './checkpoint.js';
import { CliError } from './cli-error.js';
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
  /** Receives text as it is produced (default: stdout). */
  write?: (text: string) => void;
}

/** Streams a continuation of `prime` (greedy or sampled); beam search prints its best beam at the end. */
export async function generateText(options: GenerateOptions): Promise<string> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const { model, tokenizer } = await loadLanguageModel(options.checkpoint);
  try {
    const prompt = tokenizer.encode(options.prime);
    if (prompt.length === 0) throw new CliError('--prime must hold at least one token');
    const unk = tokenizer.tokenToId(UNK);
    const config = {
      maxNewTokens: options.length,
      temperature: options.strategy === 'greedy' ? 0 : options.temperature,
      topK: options.topK ?? null,
      topP: options.topP,
      seed: options.seed ?? null,
      bannedTokens: unk === undefined ? [] : [unk],
      numBeams: options.strategy === 'beam' ? options.beams : 1,
    };
    let text = options.prime;
    write(options.prime);
    if (options.strategy === 'beam') {
      const { temperature: _t, topK: _k, topP: _p, ...beamConfig } = config;
      const out = await generateBatch(model, prompt, beamConfig);
      const more = tokenizer.decode(out.sequences[0]?.tokens ?? []);
      write(more);
      text += more;
    } else {
      for await (const piece of stream(model, prompt, config, { decode: (ids) => tokenizer.decode(ids) })) {
        write(piece.text ?? '');
        text += piece.text ?? '';
      }
    }
    write('\n');
    return text;
  } finally {
    model.dispose();
  }
}
