export type { SliceOptions } from './moby-dick.js';
export { mobyDickSlice, readMobyDick } from './moby-dick.js';
export type { GradientCheckOptions, GradientCheckResult } from './numeric.js';
export { checkGradient, checkGradientHost, maxAbsDiff } from './numeric.js';
export { rejected, thrown } from './thrown.js';
export { PROPERTY_SEED, unicodeStrings } from './unicode-strings.js';
