#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx baseline-report` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../services/core/cliRuntime.ts');
const { runBaselineReport } = await import('../services/baseline/cli.ts');
await runCli(() => runBaselineReport(process.argv.slice(2)));
