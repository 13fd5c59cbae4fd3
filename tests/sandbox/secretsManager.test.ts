import {
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  ListSecretsCommand,
  PutResourcePolicyCommand,
  SecretsManagerClient,
  paginateListSecrets,
} from '@aws-sdk/client-secrets-manager';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, REGION } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:DescribeSecret', Resource: '*' }] });
const NOT_FOUND = { name: 'ResourceNotFoundException', status: 400, message: /can't find the specified secret/ };

let org: SandboxOrganization;
let secrets: SecretsManagerClient;

async function create(name: string): Promise<string> {
  const { ARN } = await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'placeholder', Tags: [{ Key: 'team', Value: 'orders' }] }));
  if (!ARN) throw new Error('no ARN');
  return ARN;
}

beforeEach(() => {
  org = sandboxOrganization();
  secrets = org.clients().get(SecretsManagerClient);
});

describe('Secrets Manager secrets', () => {
  it('creates a secret whose ARN is its name and six random characters, described by name or ARN, never rotated', async () => {
    const arn = await create('prod/orders/db');

    expect(arn).toMatch(new RegExp(`^arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/orders/db-[A-Za-z0-9]{6}$`));
    const byName = await secrets.send(new DescribeSecretCommand({ SecretId: 'prod/orders/db' }));
    const byArn = await secrets.send(new DescribeSecretCommand({ SecretId: arn }));
    expect(byName).toMatchObject({ ARN: arn, Name: 'prod/orders/db', CreatedDate: org.clock.now(), Tags: [{ Key: 'team', Value: 'orders' }] });
    expect(byName.RotationEnabled).toBeUndefined();
    expect(byName.LastRotatedDate).toBeUndefined();
    expect(byArn.ARN).toBe(arn);
    await expectAwsError(secrets.send(new CreateSecretCommand({ Name: 'prod/orders/db' })), { name: 'ResourceExistsException', status: 400 });
    await expectAwsError(secrets.send(new DescribeSecretCommand({ SecretId: `${arn.slice(0, -6)}Zzzzzz` })), NOT_FOUND);
  });

  it('puts, reads and deletes a resource policy; refuses one that is not JSON', async () => {
    const arn = await create('orders');
    expect((await secrets.send(new GetResourcePolicyCommand({ SecretId: arn }))).ResourcePolicy).toBeUndefined();
    expect(await secrets.send(new PutResourcePolicyCommand({ SecretId: 'orders', ResourcePolicy: POLICY }))).toMatchObject({ ARN: arn, Name: 'orders' });
    expect((await secrets.send(new GetResourcePolicyCommand({ SecretId: arn }))).ResourcePolicy).toBe(POLICY);
    await expectAwsError(secrets.send(new PutResourcePolicyCommand({ SecretId: arn, ResourcePolicy: '{"Statement":' })), { name: 'MalformedPolicyDocumentException', status: 400 });
    await secrets.send(new DeleteResourcePolicyCommand({ SecretId: arn }));
    expect((await secrets.send(new GetResourcePolicyCommand({ SecretId: arn }))).ResourcePolicy).toBeUndefined();
  });

  it('pages ListSecrets with MaxResults and NextToken, per region', async () => {
    const arns = [await create('a'), await create('b'), await create('c')];
    const listed: string[] = [];
    for await (const page of paginateListSecrets({ client: secrets, pageSize: 2 }, {})) listed.push(...(page.SecretList ?? []).map((s) => s.ARN ?? ''));
    expect(listed).toEqual(arns);
    expect((await org.clients(ACCOUNT, OTHER_REGION).get(SecretsManagerClient).send(new ListSecretsCommand({}))).SecretList).toEqual([]);
  });

  it('a secret scheduled for deletion is left out of the list, refuses policy changes, and keeps its name; a forced delete is gone at once', async () => {
    const arn = await create('old');
    const { DeletionDate } = await secrets.send(new DeleteSecretCommand({ SecretId: arn, RecoveryWindowInDays: 7 }));
    expect(DeletionDate?.getTime()).toBe(org.clock.now().getTime() + 7 * 86_400_000);
    expect((await secrets.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
    expect((await secrets.send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList?.map((s) => s.ARN)).toEqual([arn]);
    expect((await secrets.send(new DescribeSecretCommand({ SecretId: arn }))).DeletedDate).toEqual(org.clock.now());
    await expectAwsError(secrets.send(new PutResourcePolicyCommand({ SecretId: arn, ResourcePolicy: POLICY })), { name: 'InvalidRequestException', status: 400 });
    await expectAwsError(secrets.send(new CreateSecretCommand({ Name: 'old' })), { name: 'InvalidRequestException', status: 400 });

    await secrets.send(new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true }));
    await expectAwsError(secrets.send(new DescribeSecretCommand({ SecretId: arn })), NOT_FOUND);
    expect(await create('old')).not.toBe(arn);
  });
});
