import * as wavefileModule from 'wavefile';

type WaveFileClass = typeof wavefileModule.WaveFile;

/**
 * The `WaveFile` class of the `wavefile` codec. Its CommonJS build (what Node
 * loads) offers it only on the default export, its ES build (what bundlers
 * load) only as a named export; this finds it in either.
 */
export const WaveFile: WaveFileClass =
  (wavefileModule as { WaveFile?: WaveFileClass }).WaveFile ??
  (wavefileModule as unknown as { default: { WaveFile: WaveFileClass } }).default.WaveFile;
