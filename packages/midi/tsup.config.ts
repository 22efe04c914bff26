import { nodeAndBrowserConfig } from '../../tsup.package.ts';

// The browser build (dist/browser/) swaps src/platform/node.ts (files, FluidSynth) for src/platform/browser.ts.
export default nodeAndBrowserConfig();
