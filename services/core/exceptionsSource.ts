/**
 * Exceptions kept outside the deployment, so that editing them needs no
 * redeploy: an SSM parameter (String or SecureString) and/or an S3 object,
 * each holding the same JSON list as `exceptions`, read with the security
 * account's own credentials. Read at most every EXCEPTIONS_CACHE_MS per
 * container; a failed read is not cached and stops the run (remediating
 * without the exceptions could change what someone excepted).
 * APIs: ssm:GetParameter (WithDecryption), s3:GetObject.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import type { AwsClients } from './clientFactory.ts';
import { exceptionSchema, type Config, type RemediationException } from './config.ts';
import { describeError } from './errors.ts';
import { ExpiringPromise } from './expiringPromise.ts';

export const EXCEPTIONS_CACHE_MS = 5 * 60 * 1000;

const exceptionList = z.array(exceptionSchema);

export class ExceptionsSourceError extends Error {
  constructor(source: string, problem: string) {
    super(`cannot read the exceptions in ${source}: ${problem}`);
    this.name = 'ExceptionsSourceError';
  }
}

/** `bucket/key` (config exceptionsObject) as GetObject's input. */
export function objectOf(location: string): { Bucket: string; Key: string } {
  const slash = location.indexOf('/');
  return { Bucket: location.slice(0, slash), Key: location.slice(slash + 1) };
}

function parseList(source: string, text: string | undefined): RemediationException[] {
  if (text === undefined || text.trim() === '') throw new ExceptionsSourceError(source, 'it is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ExceptionsSourceError(source, `not JSON (${describeError(error)})`);
  }
  const parsed = exceptionList.safeParse(value);
  if (!parsed.success) {
    throw new ExceptionsSourceError(source, parsed.error.issues.map((issue) => `${issue.path.join('.') || 'list'}: ${issue.message}`).join('; '));
  }
  return parsed.data;
}

async function readParameter(clients: AwsClients, name: string): Promise<RemediationException[]> {
  const source = `SSM parameter ${name}`;
  try {
    const { Parameter } = await clients.get(SSMClient).send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return parseList(source, Parameter?.Value);
  } catch (error) {
    throw error instanceof ExceptionsSourceError ? error : new ExceptionsSourceError(source, describeError(error));
  }
}

async function readObject(clients: AwsClients, location: string): Promise<RemediationException[]> {
  const source = `s3://${location}`;
  try {
    const { Body } = await clients.get(S3Client).send(new GetObjectCommand(objectOf(location)));
    return parseList(source, await Body?.transformToString('utf8'));
  } catch (error) {
    throw error instanceof ExceptionsSourceError ? error : new ExceptionsSourceError(source, describeError(error));
  }
}

/** Reads the configured sources for a container, reusing what it read for EXCEPTIONS_CACHE_MS. */
export class ExceptionsSource {
  private readonly loaded: ExpiringPromise<RemediationException[]>;

  constructor(now: () => number = Date.now) {
    this.loaded = new ExpiringPromise(EXCEPTIONS_CACHE_MS, now);
  }

  /** config.exceptions plus what the configured parameter and object hold. */
  async exceptionsFor(config: Config, securityAccountClients: AwsClients): Promise<RemediationException[]> {
    const { exceptionsParameter, exceptionsObject } = config;
    if (exceptionsParameter === undefined && exceptionsObject === undefined) return config.exceptions;
    const kept = await this.loaded.get(`${exceptionsParameter ?? ''}|${exceptionsObject ?? ''}`, async () => {
      const lists = await Promise.all([
        exceptionsParameter === undefined ? [] : readParameter(securityAccountClients, exceptionsParameter),
        exceptionsObject === undefined ? [] : readObject(securityAccountClients, exceptionsObject),
      ]);
      return lists.flat();
    });
    return [...config.exceptions, ...kept];
  }
}
