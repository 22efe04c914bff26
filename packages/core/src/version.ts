/** This package's version, kept in step with package.json by the build. */
export const VERSION: string = process.env.SEQGEN_CORE_VERSION ?? '0.0.0-dev';
