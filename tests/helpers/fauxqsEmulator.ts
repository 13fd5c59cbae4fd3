/**
 * The in-process SQS/SNS emulator (fauxqs) for a test file: started before
 * its tests, with the SDK's endpoint variables pointing at it (queue URLs are
 * http://sqs.<region>.localhost:PORT/..., resolved to the emulator), and
 * stopped after them, the environment restored.
 */
import { interceptLocalhostDns, startFauxqs, type FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll } from 'vitest';

export function useFauxqs(region: string): { server(): FauxqsServer } {
  let server: FauxqsServer | undefined;
  let restoreDns: () => void = () => undefined;
  const saved = { ...process.env };
  beforeAll(async () => {
    server = await startFauxqs({ port: 0, logger: false });
    restoreDns = interceptLocalhostDns();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: server.address,
      AWS_ENDPOINT_URL_SQS: server.address.replace('//127.0.0.1', `//sqs.${region}.localhost`),
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: region,
    });
  });
  afterAll(async () => {
    process.env = saved;
    restoreDns();
    await server?.stop();
  });
  return {
    server: () => {
      if (!server) throw new Error('the emulator starts in beforeAll: ask for it inside a test');
      return server;
    },
  };
}
