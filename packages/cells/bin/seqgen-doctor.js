#!/usr/bin/env node
// The `seqgen-doctor` command. This small committed file (rather than the built
// dist/doctor-cli.js itself) is what `bin` names, so that pnpm can link the
// command in a fresh checkout before anything is built, without warnings.
import('../dist/doctor-cli.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('doctor-cli.js')) {
    process.stderr.write('seqgen-doctor: @seqgen/cells is not built yet (run `pnpm build` in the repository)\n');
    process.exitCode = 1;
    return;
  }
  throw error;
});
