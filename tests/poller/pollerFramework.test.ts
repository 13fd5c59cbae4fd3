/** --framework on the poller: only the types with at least one check of the framework are listed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { ResourceMessage } from '../../services/core/message.ts';
import { runPoller } from '../../services/poller/cli.ts';
import { auditorsForUnit } from '../../services/poller/pollUnit.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState, saveSandboxState } from '../../sandbox/sandboxState.ts';
import { makeConfig } from '../helpers/context.ts';

const ACCOUNT = '161616161616';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('poller --framework', () => {
  const directory = mkdtempSync(join(tmpdir(), 'poller-framework-'));
  const file = join(directory, 'sandbox.json');
  beforeAll(async () => {
    // One resource of a type with FSBP and CIS checks (s3_bucket), one with FSBP only (sqs), one with neither (iam_role).
    const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT], regions: ['us-east-1'] }));
    const clients = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} }).forAccount(ACCOUNT, 'us-east-1');
    await clients.get(S3Client).send(new CreateBucketCommand({ Bucket: 'orders-exports' }));
    await clients.get(SQSClient).send(new CreateQueueCommand({ QueueName: 'orders' }));
    await clients.get(IAMClient).send(new CreateRoleCommand({ RoleName: 'orders-worker', AssumeRolePolicyDocument: TRUST }));
    saveSandboxState(file, sandbox.state);
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  async function polledTypes(args: string[]): Promise<string[]> {
    const messages: ResourceMessage[] = [];
    const code = await runPoller(['--accounts', ACCOUNT, '--regions', 'us-east-1', '--sandbox', file, '--types', 's3_bucket,sqs,iam_role', ...args], {
      stdout: async (batch) => {
        messages.push(...batch);
      },
      log: memoryLog(),
    });
    expect(code).toBe(0);
    return [...new Set(messages.map((m) => m.type))].sort();
  }

  it.each([
    ['no --framework', [], ['iam_role', 's3_bucket', 'sqs']],
    ['--framework fsbp', ['--framework', 'fsbp'], ['iam_role', 's3_bucket', 'sqs']],
    ['--framework cis', ['--framework', 'cis'], ['s3_bucket']],
  ])('%s lists %j', async (_case, args, types) => {
    expect(await polledTypes(args)).toEqual(types);
  });

  it.each([
    ['cis', ['region', 's3_bucket', 'ec2', 'security_group', 'rds', 'iam_user', 'kms_key', 'efs_file_system', 'cloudtrail_trail']],
    ['fsbp', ['region', 's3_bucket', 'ec2', 'ebs_snapshot', 'ebs_volume', 'security_group', 'rds', 'rds_snapshot', 'redshift', 'sqs', 'iam_user', 'iam_role', 'lambda_function', 'elb', 'elbv2', 'kms_key', 'secret', 'sns_topic', 'ecr_repository', 'efs_file_system', 'opensearch_domain', 'cloudtrail_trail', 'dynamodb_table', 'ssm_document', 'ecs_task_definition', 'eks_cluster']],
  ] as const)('the deployed poller (config.framework %s) lists the same types in the home region', (framework, types) => {
    const config = makeConfig({ framework });
    expect(auditorsForUnit({ account: ACCOUNT, region: config.homeRegion }, { config }).map((a) => a.type)).toEqual(types);
  });
});
