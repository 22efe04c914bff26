import { existsSync } from 'node:fs';

/** Debian's Chromium (`apt-get install chromium`) or `SEQGEN_CHROMIUM`; never a downloaded browser. */
export const CHROMIUM_PATH = process.env.SEQGEN_CHROMIUM ?? '/usr/bin/chromium';

/** `SEQGEN_BROWSER_REQUIRED` is set (CI): a missing Chromium fails the browser tests instead of skipping them. */
export const CHROMIUM_REQUIRED = Boolean(process.env.SEQGEN_BROWSER_REQUIRED);

/** Flags for a headless, offline, quiet Chromium in a container: no sandbox, GPU, QUIC, sync or updates. */
export const CHROMIUM_LAUNCH_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Flags that give headless Chromium a WebGPU adapter without a GPU: Dawn on SwiftShader's software
 * Vulkan (`libvk_swiftshader.so`, shipped in Debian's chromium-common). Slow, but the real WebGPU path.
 */
export const CHROMIUM_SOFTWARE_WEBGPU_ARGS: readonly string[] = [
  ...CHROMIUM_LAUNCH_ARGS.filter((flag) => flag !== '--disable-gpu'),
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=swiftshader',
  '--use-webgpu-adapter=swiftshader',
];

/** Whether the browser tests should be skipped: no Chromium and not required. */
export function skipWithoutChromium(): boolean {
  return !existsSync(CHROMIUM_PATH) && !CHROMIUM_REQUIRED;
}

/** Throws when Chromium is missing (reached only when it is required), saying how to install it. */
export function assertChromiumPresent(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`SEQGEN_BROWSER_REQUIRED is set but ${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
  }
}
