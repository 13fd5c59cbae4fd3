/**
 * The event translator bundles only what it calls (issue 16): its import
 * graph reaches no auditor's AWS SDK client, only SQS's, which it sends
 * with, and STS's, which services/core/credentials.ts (the ClientFactory's
 * member credentials) imports although the translator assumes no role.
 * Bundled as serverless.yml bundles it (esbuild, ESM, the SDK's module
 * build); the registry's graph is the control: there the same reading sees
 * the auditors' clients.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const SDK_CLIENT = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//;

/** The `@aws-sdk/client-*` packages whose files esbuild pulls into a bundle of `entry`. */
async function sdkClientsReachedBy(entry: string): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  const clients = Object.keys(metafile.inputs).flatMap((path) => SDK_CLIENT.exec(path)?.[1] ?? []);
  return [...new Set(clients)].sort();
}

describe('what a bundle imports', () => {
  it('the event translator reaches the SQS client and the factory STS one, no other', async () => {
    expect(await sdkClientsReachedBy('services/event-translator/handler.ts')).toEqual(['client-sqs', 'client-sts']);
  }, 60_000);

  it('the registry reaches the auditors clients (the reading sees what it looks for)', async () => {
    const clients = await sdkClientsReachedBy('auditors/registry.ts');
    expect(clients).toEqual(expect.arrayContaining(['client-ec2', 'client-iam', 'client-lambda', 'client-rds', 'client-s3']));
  }, 60_000);
});
