import { ComplianceError, describeError } from './errors.ts';

export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

/**
 * Run a CLI's main: print errors clearly (no stack for our own errors),
 * keep the process quiet when the reader of stdout goes away (`| head`).
 */
export async function runCli(main: () => Promise<number>): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw error;
  });
  try {
    process.exitCode = await main();
  } catch (error) {
    process.stderr.write(`${error instanceof ComplianceError ? error.message : describeError(error)}\n`);
    if (!(error instanceof ComplianceError) && process.env.DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = EXIT.error;
  }
}
