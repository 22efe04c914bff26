import { nodeAndBrowserConfig } from '../../tsup.package.ts';

// doctor-cli is the `seqgen-doctor` command (Node only, so not in the browser build).
export default nodeAndBrowserConfig({ entry: ['src/index.ts', 'src/doctor-cli.ts'] }, { entry: ['src/index.ts'] });
