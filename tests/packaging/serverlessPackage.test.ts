/**
 * `serverless package` (osls + serverless-esbuild) must work offline, and the
 * generated CloudFormation must hold what the design promises. The bundled
 * remediator is then loaded and invoked as Lambda would.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ZIP_TARGET_BYTES } from '../../scripts/bench/targets.ts';
import { SERVICE_STACK_TAG } from '../../services/core/selfProtection.ts';

const run = promisify(execFile);
const FUNCTIONS = ['pollDispatcher', 'pollWorker', 'remediator', 'eventTranslator', 'guardDutyEnrolment', 'notifier'] as const;

interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: unknown }>;
  Conditions?: Record<string, unknown>;
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
/** A statement, or one only when a template condition holds (`Fn::If` with `AWS::NoValue` otherwise). */
type StatementEntry = Statement | { 'Fn::If': [string, Statement, unknown] };

/** Every statement a policy may hold, whichever way its conditions go. */
function statementsOf(policies: readonly { PolicyDocument: { Statement: StatementEntry[] } }[]): Statement[] {
  return policies.flatMap((p) => p.PolicyDocument.Statement).map((entry) => ('Fn::If' in entry ? entry['Fn::If'][1] : entry));
}

/** An asynchronous function's failures land in an SQS queue its role may write, and the queue's depth alarms. */
function expectOnFailureQueue(template: Template, functionName: string, queue: string): void {
  const configs = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig' && JSON.stringify(r.Properties?.FunctionName).includes(`${functionName}LambdaFunction`));
  expect(configs.map((c) => (c.Properties?.DestinationConfig as { OnFailure?: unknown } | undefined)?.OnFailure)).toEqual([{ Destination: { 'Fn::GetAtt': [queue, 'Arn'] } }]);
  expect(template.Resources[queue]?.Type).toBe('AWS::SQS::Queue');
  const role = template.Resources[`${functionName}LambdaFunction`]?.Properties?.Role as { 'Fn::GetAtt': [string, string] } | undefined;
  const roleResource = role ? template.Resources[role['Fn::GetAtt'][0]] : Object.values(template.Resources).find((r) => r.Type === 'AWS::IAM::Role');
  const statements = ((roleResource?.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) => p.PolicyDocument.Statement);
  const writers = statements.filter((st) => st.Effect === 'Allow' && [st.Action].flat().includes('sqs:SendMessage') && JSON.stringify([st.Resource].flat()).includes(JSON.stringify({ 'Fn::GetAtt': [queue, 'Arn'] })));
  expect(writers).toHaveLength(1);
  const depthAlarms = Object.values(template.Resources).filter(
    (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties?.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(r.Properties?.Dimensions).includes(`"${queue}"`),
  );
  expect(depthAlarms).toHaveLength(1);
  expect(depthAlarms[0]?.Properties?.AlarmActions).toEqual([expect.objectContaining({ Ref: expect.any(String) })]);
}

/** CloudWatch cannot use alias/aws/sns: https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services */
function expectAlarmTopicsUsableByCloudWatch(template: Template): void {
  const alarms = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
  const topics = new Set(alarms.flatMap((a) => [...((a.Properties?.AlarmActions ?? []) as { Ref: string }[]), ...((a.Properties?.OKActions ?? []) as { Ref: string }[])].map((t) => t.Ref)));
  expect(topics.size).toBeGreaterThan(0);
  for (const topic of topics) {
    const key = template.Resources[topic]?.Properties?.KmsMasterKeyId as { Ref?: string } | string | undefined;
    expect(key, topic).not.toBe('alias/aws/sns');
    if (key === undefined) continue;
    const keyResource = typeof key === 'object' && key.Ref ? template.Resources[key.Ref] : undefined;
    expect(keyResource?.Type, topic).toBe('AWS::KMS::Key');
    const policy = keyResource?.Properties?.KeyPolicy as { Statement: (Statement & { Principal?: { Service?: string } })[] };
    const cloudWatch = policy.Statement.filter((st) => st.Effect === 'Allow' && st.Principal?.Service === 'cloudwatch.amazonaws.com').flatMap((st) => [st.Action].flat());
    expect(cloudWatch, topic).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
  }
}

describe('serverless package', () => {
  const out = mkdtempSync(join(tmpdir(), 'sls-package-'));
  let template: Template;
  let seconds = 0;

  beforeAll(async () => {
    const started = Date.now();
    await run('npx', ['serverless', 'package', '--stage', 'test', '--package', out], {
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
      timeout: 180_000,
    });
    seconds = (Date.now() - started) / 1000;
    template = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
  }, 200_000);

  function resourcesOfType(type: string) {
    return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
  }

  it('packages every function, minified, without its source map, and reports each bundle size', () => {
    // Issue 16's targets (scripts/bench/targets.ts): remediator < 1.5 MiB, event translator and notifier < 300 KiB; the other functions are held to the remediator's.
    const ceilings: Readonly<Record<string, number>> = ZIP_TARGET_BYTES;
    for (const name of FUNCTIONS) {
      const zip = readFileSync(join(out, `${name}.zip`));
      console.log(`bundle ${name}.zip: ${(zip.length / 1024 / 1024).toFixed(2)} MiB`);
      expect(zip.length).toBeGreaterThan(10_000);
      expect(zip.length, name).toBeLessThan(ceilings[name] ?? ZIP_TARGET_BYTES.remediator);
      // Zip entry names are stored as they are: a shipped map would show its name.
      expect(zip.includes(Buffer.from('.mjs.map')), name).toBe(false);
    }
    console.log(`serverless package took ${seconds.toFixed(1)} s`);
  });

  it('bundles no local tooling (sandbox/, demo/) into any function', () => {
    const dir = join(process.cwd(), '.esbuild', '.build');
    const handlers = ['services/poller/handler', 'services/event-translator/handler', 'services/remediator/handler', 'services/guardduty/handler', 'services/notifier/handler'];
    for (const handler of handlers) {
      const map = JSON.parse(readFileSync(join(dir, `${handler}.mjs.map`), 'utf8')) as { sources: string[] };
      const own = map.sources.filter((source) => !source.includes('node_modules'));
      expect(own.length, handler).toBeGreaterThan(5);
      expect(own.filter((source) => /(^|\/)(sandbox|demo)\//.test(source.replace(/^(\.\.\/)+/, ''))), handler).toEqual([]);
    }
  });

  it('declares the functions on nodejs22.x', () => {
    const functions = resourcesOfType('AWS::Lambda::Function');
    expect(functions.map(([name]) => name).sort()).toEqual([
      'EventTranslatorLambdaFunction',
      'GuardDutyEnrolmentLambdaFunction',
      'NotifierLambdaFunction',
      'PollDispatcherLambdaFunction',
      'PollWorkerLambdaFunction',
      'RemediatorLambdaFunction',
    ]);
    for (const [, fn] of functions) expect(fn.Properties?.Runtime).toBe('nodejs22.x');
  });

  it('has the resource queue and poll queue, each with SSE and a redrive to its DLQ', () => {
    for (const [queue, dlq] of [['ResourceQueue', 'ResourceDeadLetterQueue'], ['PollQueue', 'PollDeadLetterQueue']]) {
      const properties = template.Resources[queue as string]?.Properties ?? {};
      expect(properties.SqsManagedSseEnabled).toBe(true);
      expect(properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: expect.any(Number) });
      expect(template.Resources[dlq as string]?.Properties?.SqsManagedSseEnabled).toBe(true);
    }
  });

  it('feeds the remediator from the resource queue, 10 at a time, with partial batch responses', () => {
    const [, mapping] = resourcesOfType('AWS::Lambda::EventSourceMapping').find(([name]) => name.startsWith('Remediator')) ?? [];
    expect(mapping?.Properties).toMatchObject({
      BatchSize: 10,
      EventSourceArn: { 'Fn::GetAtt': ['ResourceQueue', 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const [, worker] = resourcesOfType('AWS::Lambda::EventSourceMapping').find(([name]) => name.startsWith('PollWorker')) ?? [];
    expect(worker?.Properties).toMatchObject({ EventSourceArn: { 'Fn::GetAtt': ['PollQueue', 'Arn'] }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  it('runs the dispatcher nightly', () => {
    const rules = resourcesOfType('AWS::Events::Rule');
    expect(rules.map(([, r]) => r.Properties?.ScheduleExpression)).toContain('cron(0 2 * * ? *)');
  });

  it('has the notifications and alarms topics, and alarms on function errors and DLQ depth', () => {
    expect(template.Resources.NotificationsTopic?.Type).toBe('AWS::SNS::Topic');
    expect(template.Resources.AlarmsTopic?.Type).toBe('AWS::SNS::Topic');
    const alarms = resourcesOfType('AWS::CloudWatch::Alarm').map(([, a]) => `${a.Properties?.Namespace}/${a.Properties?.MetricName}`);
    expect(alarms.filter((a) => a === 'AWS/Lambda/Errors')).toHaveLength(6);
    expect(alarms.filter((a) => a === 'AWS/SQS/ApproximateNumberOfMessagesVisible')).toHaveLength(4);
  });

  it.each([
    ['EventTranslator', 'EventTranslatorDeadLetterQueue'],
    ['Notifier', 'NotifierDeadLetterQueue'],
  ])('gives the asynchronous %s an SQS on-failure destination its role may write, with a depth alarm', (functionName, queue) => {
    expectOnFailureQueue(template, functionName, queue);
  });

  it('encrypts every topic an alarm notifies with a key CloudWatch may use (never alias/aws/sns)', () => {
    expectAlarmTopicsUsableByCloudWatch(template);
  });

  it('routes forwarded CloudTrail events to the translator with the generated pattern', () => {
    const patterns = JSON.parse(readFileSync('member-account/event-patterns.json', 'utf8')) as Record<string, unknown>;
    const rules = resourcesOfType('AWS::Events::Rule').filter(([, r]) => JSON.stringify(r.Properties?.Targets).includes('EventTranslatorLambdaFunction'));
    expect(rules.map(([, r]) => r.Properties?.EventPattern)).toEqual(Object.values(patterns));
  });

  it('sends GuardDuty findings and root console sign-ins to the notifier, which has its own failover topic', () => {
    const rules = resourcesOfType('AWS::Events::Rule').filter(([, r]) => JSON.stringify(r.Properties?.Targets).includes('NotifierLambdaFunction'));
    expect(rules.map(([, r]) => r.Properties?.EventPattern)).toEqual([
      { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] },
      { source: ['aws.signin'], 'detail-type': ['AWS Console Sign In via CloudTrail'], detail: { userIdentity: { type: ['Root'] } } },
    ]);
    const alarm = template.Resources.NotifierErrorsAlarm?.Properties;
    expect(alarm?.AlarmActions).toEqual([{ Ref: 'NotifierFailoverTopic' }]);
    expect(resourcesOfType('AWS::SNS::Subscription').some(([, r]) => JSON.stringify(r.Properties).includes('NotifierLambdaFunction'))).toBe(true);
  });

  it('lets only principals of the organization put events on the default bus', () => {
    const [, policy] = resourcesOfType('AWS::Events::EventBusPolicy')[0] ?? [];
    expect(policy?.Properties?.Statement).toMatchObject({
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorgid' } },
    });
  });

  it('no role of the stack allows a wildcard action, and none may assume a role by "*"', () => {
    for (const [, role] of resourcesOfType('AWS::IAM::Role')) {
      const policies = (role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: StatementEntry[] } }[];
      for (const statement of statementsOf(policies)) {
        const actions = [statement.Action].flat();
        expect(actions.some((a) => a === '*' || a.endsWith(':*'))).toBe(false);
        if (actions.includes('sts:AssumeRole')) expect(statement.Resource).not.toBe('*');
      }
    }
  });

  /** Every action a function's own role allows, except writing its own logs. */
  function actionsOf(functionName: string): string[] {
    const role = template.Resources[`${functionName}LambdaFunction`]?.Properties?.Role as { 'Fn::GetAtt': [string, string] };
    const policies = template.Resources[role['Fn::GetAtt'][0]]?.Properties?.Policies as { PolicyDocument: { Statement: StatementEntry[] } }[];
    return statementsOf(policies)
      .flatMap((st) => [st.Action].flat())
      .filter((a) => !a.startsWith('logs:'))
      .sort();
  }

  it.each([
    ['PollDispatcher', ['organizations:ListAccounts', 'sqs:SendMessage']],
    ['PollWorker', ['organizations:ListAccounts', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:SendMessage', 'sts:AssumeRole']],
    ['EventTranslator', ['sqs:SendMessage']],
    // s3:GetObject and ssm:GetParameter only when exceptionsObject / exceptionsParameter are set (Fn::If).
    ['Remediator', ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'kms:Decrypt', 'kms:GenerateDataKey', 'organizations:ListAccounts', 's3:GetObject', 'sns:Publish', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:SendMessage', 'ssm:GetParameter', 'sts:AssumeRole']],
  ])('gives %s a role of its own with only what it calls', (functionName, expected) => {
    expect(actionsOf(functionName)).toEqual(expected);
  });

  it('has the findings table (on demand, point-in-time recovery, TTL on expiresAt, SSE, byResource index), named to the remediator, which may only read, write and query it', () => {
    const [[name, table] = ['', undefined]] = resourcesOfType('AWS::DynamoDB::Table').filter(([logical]) => logical === 'FindingsTable');
    expect(name).toBe('FindingsTable');
    expect(table?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'findingId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byResource', KeySchema: [{ AttributeName: 'resourceKey', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    const environment = template.Resources.RemediatorLambdaFunction?.Properties?.Environment as { Variables: Record<string, unknown> };
    expect(environment.Variables.FINDINGS_TABLE_NAME).toEqual({ Ref: 'FindingsTable' });
  });

  it('gives the remediator its brake table (a counter with TTL, SSE on) and UpdateItem on that table alone, and the alarms topic', () => {
    const tables = resourcesOfType('AWS::DynamoDB::Table');
    expect(tables.map(([name]) => name).sort()).toEqual(['FindingsTable', 'RemediationBrakeTable']);
    expect(tables.find(([name]) => name === 'RemediationBrakeTable')?.[1].Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'window', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    const remediator = template.Resources.RemediatorLambdaFunction?.Properties as { Environment: { Variables: Record<string, unknown> } };
    expect(remediator.Environment.Variables.BRAKE_TABLE_NAME).toEqual({ 'Fn::GetAtt': ['RemediationBrakeTable', 'Arn'] });
    expect(remediator.Environment.Variables.ALARMS_TOPIC_ARN).toEqual({ Ref: 'AlarmsTopic' });
    expect(remediator.Environment.Variables.MAX_REMEDIATIONS_PER_HOUR).toBe('50');
    for (const [name, role] of resourcesOfType('AWS::IAM::Role')) {
      const statements = statementsOf((role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: StatementEntry[] } }[]);
      const dynamo = statements.filter((st) => [st.Action].flat().some((a) => a.startsWith('dynamodb:')));
      if (name !== 'RemediatorRole') {
        expect(dynamo, name).toEqual([]);
        continue;
      }
      // The brake's counter: UpdateItem only; the findings store: read, conditional put, and its index.
      expect(dynamo.map((st) => [[st.Action].flat().sort(), JSON.stringify(st.Resource)])).toEqual([
        [['dynamodb:UpdateItem'], JSON.stringify({ 'Fn::GetAtt': ['RemediationBrakeTable', 'Arn'] })],
        [['dynamodb:GetItem', 'dynamodb:PutItem'], JSON.stringify({ 'Fn::GetAtt': ['FindingsTable', 'Arn'] })],
        [['dynamodb:Query'], JSON.stringify({ 'Fn::Sub': '${FindingsTable.Arn}/index/byResource' })],
      ]);
      const publish = statements.find((st) => [st.Action].flat().includes('sns:Publish'));
      expect(publish?.Resource).toEqual([{ Ref: 'NotificationsTopic' }, { Ref: 'AlarmsTopic' }]);
    }
  });

  it('reads exceptions from SSM and S3 only when a parameter or object is configured', () => {
    expect(template.Conditions).toMatchObject({
      HasExceptionsParameter: { 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] },
      HasExceptionsObject: { 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] },
    });
    const remediatorRole = template.Resources.RemediatorRole?.Properties?.Policies as { PolicyDocument: { Statement: StatementEntry[] } }[];
    const conditional = remediatorRole.flatMap((p) => p.PolicyDocument.Statement).filter((entry) => 'Fn::If' in entry);
    expect(conditional.map((entry) => ('Fn::If' in entry ? [entry['Fn::If'][0], entry['Fn::If'][1].Action, entry['Fn::If'][2]] : []))).toEqual([
      ['HasExceptionsParameter', 'ssm:GetParameter', { Ref: 'AWS::NoValue' }],
      ['HasExceptionsObject', 's3:GetObject', { Ref: 'AWS::NoValue' }],
    ]);
  });

  it('lets the poll worker assume only the audit role and the remediator the audit and remediation roles, by name: no "*" resource on sts:AssumeRole', () => {
    const assumable: Record<string, string[]> = {};
    for (const [name, role] of resourcesOfType('AWS::IAM::Role')) {
      const policies = (role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: StatementEntry[] } }[];
      for (const statement of statementsOf(policies)) {
        if (![statement.Action].flat().includes('sts:AssumeRole')) continue;
        // Each resource is an Fn::Sub of arn:${AWS::Partition}:iam::*:role/<name>: keep the role name.
        const names = [statement.Resource].flat().map((resource) => JSON.stringify(resource).match(/:role\/([^"]+)"/)?.[1] ?? JSON.stringify(resource));
        (assumable[name] ??= []).push(...names);
      }
      // The member role trusts role names starting with compliance-auditor-.
      if (name.startsWith('Poll') || name === 'RemediatorRole') expect(JSON.stringify(role.Properties?.RoleName)).toContain('compliance-auditor-');
    }
    expect(assumable).toEqual({
      PollWorkerRole: ['ComplianceAuditorMemberRole'],
      RemediatorRole: ['ComplianceAuditorMemberRole', 'ComplianceAuditorRemediationRole'],
      GuardDutyEnrolmentRole: ['GuardDutyEnrolmentRole'],
    });
  });

  it('tags the stack with the service\'s own tag, which CloudFormation copies to its topics, tables, queues and roles (self-protection reads it)', () => {
    const state = JSON.parse(readFileSync(join(out, 'serverless-state.json'), 'utf8')) as { service: { provider: { stackTags?: Record<string, string> } } };
    expect(state.service.provider.stackTags).toEqual({ [SERVICE_STACK_TAG.key]: SERVICE_STACK_TAG.value });
  });

  it('the bundled remediator runs: a bad record is reported failed, not thrown', async () => {
    // serverless-esbuild keeps what it zipped in .esbuild/.build (keepOutputDirectory).
    const dir = join(process.cwd(), '.esbuild', '.build');
    Object.assign(process.env, { ACCOUNTS: '111111111111', REGIONS: 'us-east-1', AWS_REGION: 'us-east-1', EXTERNAL_ID: 'packaging-test-external-id-7f3a' });
    const module = (await import(pathToFileURL(join(dir, 'services/remediator/handler.mjs')).href)) as {
      handler: (event: unknown) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
    };
    const response = await module.handler({ Records: [{ messageId: 'm-1', body: 'not json', attributes: { ApproximateReceiveCount: '1' } }] });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
  });
});

describe('serverless package: the regional stack (serverless-regional.yml)', () => {
  const out = mkdtempSync(join(tmpdir(), 'sls-package-regional-'));
  let template: Template;

  beforeAll(async () => {
    await run('npx', ['serverless', 'package', '--config', 'serverless-regional.yml', '--stage', 'test', '--region', 'eu-west-1', '--package', out], {
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
      timeout: 180_000,
    });
    template = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
  }, 200_000);

  it('gives the event translator an SQS on-failure destination its role may write, with a depth alarm', () => {
    expectOnFailureQueue(template, 'EventTranslator', 'EventTranslatorDeadLetterQueue');
  });

  it('tags the stack with the service\'s own tag, as the security account\'s stack', () => {
    const state = JSON.parse(readFileSync(join(out, 'serverless-state.json'), 'utf8')) as { service: { provider: { stackTags?: Record<string, string> } } };
    expect(state.service.provider.stackTags).toEqual({ [SERVICE_STACK_TAG.key]: SERVICE_STACK_TAG.value });
  });

  it('encrypts the topic its alarms notify with a key CloudWatch may use', () => {
    expectAlarmTopicsUsableByCloudWatch(template);
  });
});
