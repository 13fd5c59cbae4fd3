import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import type { MiddlewareStack } from '@smithy/types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answerCommands } from '../../sandbox/answerCommands.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';

/** A factory whose clients answer every command empty and record the host each request was signed for. */
function recordingFactory() {
  const hosts: string[] = [];
  const factory = new ClientFactory({
    memberRoleName: 'R',
    assumeRole: false,
    env: process.env,
    instrument: (client) => {
      (client as { middlewareStack: MiddlewareStack<object, object> }).middlewareStack.add(
        (next) => async (args) => {
          hosts.push((args as { request?: { hostname?: string; port?: number } }).request?.hostname ?? '?');
          return next(args);
        },
        { step: 'finalizeRequest', name: 'recordHost' },
      );
      answerCommands(client, 'empty', () => ({}));
    },
  });
  return { factory, hosts };
}

/** Counts reads of the environment variables the SDK's settings chains look at. */
function countEnvironmentReads(names: readonly string[]) {
  const reads = new Map<string, number>();
  const real = process.env;
  process.env = new Proxy(real, {
    get: (target, key) => {
      if (typeof key === 'string' && names.includes(key)) reads.set(key, (reads.get(key) ?? 0) + 1);
      return Reflect.get(target, key);
    },
    has: (target, key) => {
      if (typeof key === 'string' && names.includes(key)) reads.set(key, (reads.get(key) ?? 0) + 1);
      return Reflect.has(target, key);
    },
  });
  return { reads, restore: () => void (process.env = real) };
}

describe('SDK settings read once per factory', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('the settings chains (FIPS, retry mode, app id, configured endpoint) run for the first clients only, not for each later one', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE000000000');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    const { factory } = recordingFactory();
    await factory.forAccount('111111111111', 'eu-west-1').get(EC2Client).send(new DescribeVpcsCommand({}));
    await factory.sdkSettingsSettled();
    const names = ['AWS_USE_FIPS_ENDPOINT', 'AWS_RETRY_MODE', 'AWS_SDK_UA_APP_ID', 'AWS_ENDPOINT_URL_EC2'];
    const counting = countEnvironmentReads(names);
    try {
      for (let account = 0; account < 10; account += 1) {
        await factory.forAccount(String(222222222200 + account), 'eu-west-1').get(EC2Client).send(new DescribeVpcsCommand({}));
      }
    } finally {
      counting.restore();
    }
    expect(Object.fromEntries(counting.reads)).toEqual({});
  });

  it('FIPS from the environment reaches every later client', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE000000000');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', 'true');
    const { factory, hosts } = recordingFactory();
    await factory.forAccount('111111111111', 'us-east-1').get(EC2Client).send(new DescribeVpcsCommand({}));
    await factory.sdkSettingsSettled();
    await factory.forAccount('222222222222', 'us-west-2').get(EC2Client).send(new DescribeVpcsCommand({}));
    expect(hosts).toEqual(['ec2-fips.us-east-1.amazonaws.com', 'ec2-fips.us-west-2.amazonaws.com']);
  });

  it('a service\'s configured endpoint (AWS_ENDPOINT_URL_S3) stays that service\'s', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE000000000');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:4599');
    const { factory, hosts } = recordingFactory();
    await factory.forAccount('111111111111', 'us-east-1').get(S3Client).send(new ListBucketsCommand({}));
    await factory.forAccount('111111111111', 'us-east-1').get(EC2Client).send(new DescribeVpcsCommand({}));
    await factory.sdkSettingsSettled();
    await factory.forAccount('222222222222', 'us-west-2').get(S3Client).send(new ListBucketsCommand({}));
    await factory.forAccount('222222222222', 'us-west-2').get(EC2Client).send(new DescribeVpcsCommand({}));
    expect(hosts).toEqual(['127.0.0.1', 'ec2.us-east-1.amazonaws.com', '127.0.0.1', 'ec2.us-west-2.amazonaws.com']);
  });

  it('without settings in the environment, later clients reach the regional endpoints as the first did', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE000000000');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    const { factory, hosts } = recordingFactory();
    await factory.forAccount('111111111111', 'eu-west-1').get(EC2Client).send(new DescribeVpcsCommand({}));
    await factory.sdkSettingsSettled();
    await factory.forAccount('222222222222', 'ap-southeast-2').get(EC2Client).send(new DescribeVpcsCommand({}));
    expect(hosts).toEqual(['ec2.eu-west-1.amazonaws.com', 'ec2.ap-southeast-2.amazonaws.com']);
  });
});
