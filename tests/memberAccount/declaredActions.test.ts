/**
 * Nothing missing from the two member roles: the whole flow (the maker's
 * misconfigurations, a poll, then every resource audited with every
 * remediation on, the disruptive ones and the posture enablements included)
 * against a sandbox organization, through the project's client factory
 * assuming both roles. Every command a member client sends is recorded with
 * the role it was sent as (told apart by the access key STS hands out for
 * each role), mapped to its IAM action, and must be allowed to that role by
 * the generated template (the remediation role at RemediationLevel
 * disruptive). With one role holding everything, an undeclared read in a
 * remediation went unnoticed; with two, it would be AccessDenied in AWS.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkIdsWithRisk } from '../../auditors/registry.ts';
import { makeMisconfigurations } from '../../misconfiguration-maker/makeMisconfigurations.ts';
import { answerCommands, serviceIdOf } from '../../sandbox/answerCommands.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { loadConfig } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { ResourceMessage } from '../../services/core/message.ts';
import { pollUnits, unitsOf } from '../../services/poller/pollUnits.ts';
import { auditResource } from '../../services/remediator/auditResource.ts';
import { RemediationBudget } from '../../services/remediator/remediationBudget.ts';
import { NOW } from '../helpers/context.ts';
import { EVERY_ENABLEMENT_ON } from '../helpers/everyEnablement.ts';
import { resolveTemplate, type Template } from './resolveTemplate.ts';
import { makeBrake } from '../helpers/brake.ts';

const ACCOUNTS = ['111111111111', '222222222222'];
const DEV_ACCOUNT = '222222222222';
const REGIONS = ['us-east-1', 'eu-west-1'];
const KEYS = { audit: 'ASIAAUDITROLE0000001', remediation: 'ASIAREMEDIATION00001' } as const;
type Role = keyof typeof KEYS;

/** IAM's service prefix of each SDK service id the auditors use. */
const IAM_PREFIX: Record<string, string> = {
  S3: 's3',
  'S3 Control': 's3',
  EC2: 'ec2',
  IAM: 'iam',
  RDS: 'rds',
  Redshift: 'redshift',
  Lambda: 'lambda',
  SQS: 'sqs',
  'Elastic Load Balancing': 'elasticloadbalancing',
  'Elastic Load Balancing v2': 'elasticloadbalancing',
  CloudTrail: 'cloudtrail',
  'Config Service': 'config',
  GuardDuty: 'guardduty',
  SecurityHub: 'securityhub',
  Macie2: 'macie2',
  Inspector2: 'inspector2',
  AuditManager: 'auditmanager',
  'CloudWatch Logs': 'logs',
  KMS: 'kms',
  'Secrets Manager': 'secretsmanager',
  SNS: 'sns',
  ECR: 'ecr',
  EFS: 'elasticfilesystem',
  OpenSearch: 'es',
  DynamoDB: 'dynamodb',
  SSM: 'ssm',
  ECS: 'ecs',
  EKS: 'eks',
};

/**
 * Operations whose IAM action has another name: the Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
const ACTION_OF_OPERATION: Record<string, string> = {
  'S3 ListBuckets': 's3:ListAllMyBuckets',
  'S3 GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  'S3 PutPublicAccessBlock': 's3:PutBucketPublicAccessBlock',
  'S3 Control GetPublicAccessBlock': 's3:GetAccountPublicAccessBlock',
  'S3 Control PutPublicAccessBlock': 's3:PutAccountPublicAccessBlock',
};

function actionOf(serviceId: string, operation: string): string {
  const renamed = ACTION_OF_OPERATION[`${serviceId} ${operation}`];
  if (renamed) return renamed;
  const prefix = IAM_PREFIX[serviceId];
  return prefix ? `${prefix}:${operation}` : `(no IAM prefix for ${serviceId}):${operation}`;
}

const template = JSON.parse(readFileSync(new URL('../../member-account/template.json', import.meta.url), 'utf8')) as Template;

/** What each role may do, as CloudFormation creates it at RemediationLevel disruptive. */
function allowedTo(role: Role): Set<string> {
  const created = resolveTemplate(template, { SecurityAccountId: '999999999999', ExternalId: 'declared-actions', RemediationLevel: 'disruptive' });
  const resource = created[role === 'audit' ? 'MemberRole' : 'RemediationRole'];
  const policies = resource?.Properties.Policies as unknown as { PolicyDocument: { Statement: { Effect: string; Action: string | string[] }[] } }[];
  return new Set(policies.flatMap((p) => p.PolicyDocument.Statement).filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat()));
}

interface CredentialsClient {
  config: { credentials: () => Promise<{ accessKeyId: string }> };
}

describe('the member roles hold every action the flow calls', () => {
  // The factory's STS clients sign AssumeRole with the caller's (here: test) credentials.
  beforeEach(() => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('audit, poll and every remediation: each call is allowed to the role it is made as', async () => {
    const sandbox = new Sandbox(createSandboxState({ accounts: ACCOUNTS, regions: REGIONS }), { now: () => NOW });
    const calls = new Map<string, Set<string>>();
    const record = (role: Role, action: string, where: string) => {
      const key = `${role} ${action}`;
      calls.set(key, (calls.get(key) ?? new Set()).add(where));
    };
    const instrument = (client: unknown, account: string, region: string): void => {
      const serviceId = serviceIdOf(client);
      if (!serviceId || account === 'self') return;
      answerCommands(client, 'declaredActions', async (service, operation, input) => {
        if (service === 'STS' && operation === 'AssumeRole') {
          const roleArn = (input as { RoleArn?: string }).RoleArn ?? '';
          const role: Role = roleArn.endsWith('/ComplianceAuditorRemediationRole') ? 'remediation' : 'audit';
          return { Credentials: { AccessKeyId: KEYS[role], SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + 3600_000) } };
        }
        const { accessKeyId } = await (client as CredentialsClient).config.credentials();
        const role = (Object.keys(KEYS) as Role[]).find((name) => KEYS[name] === accessKeyId);
        if (!role) throw new Error(`${service} ${operation} sent with unknown credentials ${accessKeyId}`);
        record(role, actionOf(service, operation), `${account}/${region}`);
        return sandbox.call(service, operation, input, account, region);
      });
    };

    const config = loadConfig({
      env: {},
      flags: {
        accounts: ACCOUNTS,
        regions: REGIONS,
        externalId: 'declared-actions',
        devAccounts: [DEV_ACCOUNT],
        remediate: true,
        remediateChecks: checkIdsWithRisk('disruptive'),
        maxRemediationsPerRun: 1000,
        mfaGraceHours: 0,
        ...EVERY_ENABLEMENT_ON,
      },
    });
    const log = memoryLog();
    const seeder = new ClientFactory({ ...config, env: {}, interceptor: sandbox });
    for (const account of ACCOUNTS) for (const region of REGIONS) expect((await makeMisconfigurations({ account, region }, { config, factory: seeder, log })).failed).toEqual([]);

    const factory = new ClientFactory({ ...config, env: {}, instrument });
    const messages: ResourceMessage[] = [];
    const polled = await pollUnits(unitsOf(ACCOUNTS, REGIONS), { config, factory, log }, async (batch) => {
      messages.push(...batch);
    });
    expect(polled.failedUnits).toEqual([]);
    const run = { config, factory, trustedAccounts: new Set(ACCOUNTS), budget: new RemediationBudget(1000), brake: makeBrake(factory, log, { limit: 1000 }), log, now: NOW };
    const outcomes = [];
    for (const message of messages) outcomes.push(await auditResource(message, run));
    const findings = outcomes.flatMap((outcome) => (outcome.status === 'audited' ? outcome.findings : []));
    expect(findings.filter((f) => f.remediation === 'failed').map((f) => `${f.checkId}: ${f.remediationDetail}`)).toEqual([]);

    // The flow did remediate, disruptive and posture remediations included, through the remediation role.
    const applied = new Set(findings.filter((f) => f.remediation === 'applied').map((f) => f.checkId));
    expect(checkIdsWithRisk('disruptive').filter((id) => applied.has(id)).length).toBeGreaterThan(0);
    expect([...applied].filter((id) => id.startsWith('region.')).length).toBeGreaterThan(0);
    expect([...calls.keys()].filter((key) => key.startsWith('remediation ')).length).toBeGreaterThan(0);

    const notAllowed = [...calls.entries()]
      .filter(([key]) => {
        const [role, action] = key.split(' ') as [Role, string];
        return !allowedTo(role).has(action);
      })
      .map(([key, where]) => `${key} (${[...where].join(', ')})`);
    expect(notAllowed).toEqual([]);
  }, 60_000);
});
