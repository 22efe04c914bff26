export type { CliResult, CliRunner, CliRunnerOptions } from './cli-process.js';
export { cliRunner, readJson } from './cli-process.js';
export {
  assertChromiumPresent,
  CHROMIUM_LAUNCH_ARGS,
  CHROMIUM_PATH,
  CHROMIUM_REQUIRED,
  CHROMIUM_SOFTWARE_WEBGPU_ARGS,
  skipWithoutChromium,
} from './headless-chromium.js';
export type { InterruptAndResumeOptions } from './interrupt-and-resume.js';
export { checkpointWeights, interruptAndResume } from './interrupt-and-resume.js';
export type { SliceOptions } from './moby-dick.js';
export { mobyDickSlice, readMobyDick } from './moby-dick.js';
export { NATIVE_REQUIRED } from './native-required.js';
export type { GradientCheckOptions, GradientCheckResult } from './numeric.js';
export { checkGradient, checkGradientHost, maxAbsDiff } from './numeric.js';
export { rejected, thrown } from './thrown.js';
export { PROPERTY_SEED, unicodeStrings } from './unicode-strings.js';
