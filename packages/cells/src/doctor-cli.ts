#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { SeqgenError } from '@seqgen/core';
import { doctor, formatDoctorReport } from './doctor.js';

const usage = `Usage: seqgen-doctor [--backend node|wasm|cpu] [--json]

Starts the best TensorFlow.js backend available here and reports which one is
active, why each other one was skipped, and the installed versions.
SEQGEN_BACKEND forces a backend the same way as --backend.`;

async function main(): Promise<number> {
  let values: { backend?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { backend: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`seqgen-doctor: ${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  try {
    const report = await doctor(values.backend ? { backend: values.backend as 'wasm' } : {});
    process.stdout.write(`${values.json ? JSON.stringify(report, null, 2) : formatDoctorReport(report)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof SeqgenError) {
      process.stderr.write(`seqgen-doctor: ${error.message} [${error.code}]\n`);
      return 1;
    }
    throw error;
  }
}

main().then((code) => {
  process.exitCode = code;
});
