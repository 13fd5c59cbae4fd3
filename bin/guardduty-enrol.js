#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx guardduty-enrol` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../services/core/cliRuntime.ts');
const { runGuardDutyEnrol } = await import('../services/guardduty/cli.ts');
await runCli(() => runGuardDutyEnrol(process.argv.slice(2)));
