/** What `renderWav` hands the platform's synthesizer, its options resolved and checked. */
export type FluidsynthSettings = {
  soundFont: string;
  executable: string;
  sampleRate: number;
  gain: number;
  timeoutMs: number;
};
