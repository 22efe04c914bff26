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

/** A request from the page to the worker. */
export type WorkerRequest =
  | { type: 'init'; backend: 'wasm' | 'webgl' | 'cpu' }
  | { type: 'generate'; id: number; source: ModelSource; prompt: string; settings: SamplerSettings }
  | { type: 'stop'; id: number }
  | { type: 'train'; id: number; settings: TrainSettings }
  | { type: 'compose'; id: number; settings: MusicSettings }
  | { type: 'trace'; id: number; url: string; text: string };

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
  | { type: 'error'; id: number | null; message: string };
