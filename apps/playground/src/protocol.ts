// The messages between the page and the generation worker. Every job carries an id; every reply
// names the job it belongs to, and a failed job answers with an `error` message instead of hanging.

/** Sampler settings the text tab sends (already validated by the page). */
export type SamplerSettings = {
  temperature: number;
  topK: number | null;
  topP: number;
  repetitionPenalty: number;
  seed: number;
  maxNewTokens: number;
};

/** Which language model a text job uses: a checkpoint by absolute URL, or the one trained in this session. */
export type ModelSource = { kind: 'url'; url: string } | { kind: 'trained' };

/** Settings of in-browser training. */
export type TrainSettings = {
  /** Training text (pasted by the user). */
  text: string;
  /** Wall-clock seconds to train for. */
  seconds: number;
  hiddenSize: number;
  seqLength: number;
  batchSize: number;
  learningRate: number;
  seed: number;
};

/** Settings of a music generation. */
export type MusicSettings = {
  url: string;
  seconds: number;
  temperature: number;
  seed: number;
};

/** Settings of a translation (already validated by the page). */
export type TranslateSettings = {
  /** Absolute URL of an encoder–decoder checkpoint with source and target tokenizers. */
  url: string;
  /** One sentence per line. */
  text: string;
  /** Beam width (1: greedy). */
  beams: number;
  /** Candidates shown per line, best first (at most `beams`). */
  nBest: number;
  /** Beam ranking `logProb / length ** lengthPenalty`. */
  lengthPenalty: number;
};

/** One candidate translation and its score (length-normalized log-probability with beams). */
export type TranslationCandidate = { text: string; score: number };

/** One translated line: its candidates, and the best one's attention over the source tokens. */
export type TranslatedLine = {
  source: string;
  /** The source tokens the model read, as text. */
  sourceTokens: string[];
  /** Whether the source was cut to the longest the model trained on. */
  truncated: boolean;
  candidates: TranslationCandidate[];
  /** The best candidate's tokens, as text. */
  targetTokens: string[];
  /** One row per target token of the best candidate: its weights over `sourceTokens`. */
  attention: Float32Array[];
};

/** The tfjs backends the page can ask the worker for (`?backend=`). */
export type BackendName = 'wasm' | 'webgpu' | 'webgl' | 'cpu';

/** A request from the page to the worker. */
export type WorkerRequest =
  | { type: 'init'; backend: BackendName }
  | { type: 'generate'; id: number; source: ModelSource; prompt: string; settings: SamplerSettings }
  | { type: 'stop'; id: number }
  | { type: 'train'; id: number; settings: TrainSettings }
  | { type: 'compose'; id: number; settings: MusicSettings }
  | { type: 'trace'; id: number; url: string; text: string }
  | { type: 'translate'; id: number; settings: TranslateSettings };

/** One note of generated music (seconds, MIDI pitch and velocity). */
export type PlayedNote = { pitch: number; velocity: number; start: number; end: number };

/** One unit's activation per character, and its colour there (RGB triples, @seqgen/interpret's diverging scale). */
export type UnitValues = { name: string; values: Float32Array; colours: Uint8Array };

/** A reply from the worker to the page. */
export type WorkerReply =
  | { type: 'ready'; backend: string; notice: string | null }
  | { type: 'token'; id: number; text: string }
  | { type: 'generated'; id: number; tokens: number; stopped: boolean }
  | { type: 'loss'; id: number; step: number; loss: number }
  | { type: 'trained'; id: number; steps: number; vocabulary: number }
  | { type: 'composed'; id: number; notes: PlayedNote[]; seconds: number }
  | { type: 'traced'; id: number; tokens: string[]; units: UnitValues[] }
  | { type: 'translated'; id: number; lines: TranslatedLine[] }
  | { type: 'error'; id: number | null; message: string };
