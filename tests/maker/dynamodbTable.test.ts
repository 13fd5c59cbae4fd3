import { DynamoDBClient, GetResourcePolicyCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamodbTableAuditor } from '../../auditors/dynamodbTable.ts';
import { dynamodbTableMaker, makerTableName } from '../../misconfiguration-maker/entries/dynamodbTable.ts';
import { NONEXISTENT_ACCOUNT } from '../../misconfiguration-maker/makerContract.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, makerResourcesListed, remediateAll } from './makerHarness.ts';

const NAME = `misconfiguration-maker-table-${ACCOUNT}-${REGION}`;
const EVERY_CHECK = ['dynamodb_table.deletion_protection_off', 'dynamodb_table.pitr_off', 'dynamodb_table.public_policy', 'dynamodb_table.shared_unknown_account'];

describe('dynamodb_table maker', () => {
  it('makes an empty on-demand table readable by the nonexistent account and describable by any AWS service', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    expect(await dynamodbTableMaker.create(context)).toEqual([NAME]);
    expect(makerTableName(ACCOUNT, REGION)).toBe(NAME);
    const { Policy } = await context.clients.get(DynamoDBClient).send(new GetResourcePolicyCommand({ ResourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${NAME}` }));
    expect(JSON.parse(Policy ?? '').Statement).toMatchObject([
      { Principal: '*', Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } } },
      { Principal: { AWS: `arn:aws:iam::${NONEXISTENT_ACCOUNT}:root` }, Action: 'dynamodb:GetItem' },
    ]);
  });

  it('fails exactly the provoked checks; remediation fixes them all; a second run changes nothing', async () => {
    const config = makeConfig();
    const organization = sandboxOrganization();
    const context = makerContext(organization, config);
    await dynamodbTableMaker.create(context);
    await dynamodbTableMaker.create(context);

    const before = await auditListed(dynamodbTableAuditor, context);
    const outcomes = await remediateAll(before);
    const after = await auditListed(dynamodbTableAuditor, context);
    const again = await remediateAll(before);

    expect(before.map((a) => [a.id, a.maker])).toEqual([[NAME, true]]);
    expect(failedCheckIds(before)).toEqual([...dynamodbTableMaker.provokes(config)].sort());
    expect(failedCheckIds(before)).toEqual(EVERY_CHECK);
    expect(outcomes).toEqual(EVERY_CHECK.map((id) => `${id}=applied`));
    expect(failedCheckIds(after)).toEqual([]);
    expect(again).toEqual(EVERY_CHECK.map((id) => `${id}=already_compliant`));
    expect(await auditListed(dynamodbTableAuditor, makerContext(organization, config, { account: OTHER_ACCOUNT }))).toEqual([]);
  });

  it('re-creating puts the misconfiguration back; teardown removes the table even after deletion protection was turned on', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await dynamodbTableMaker.create(context);
    await remediateAll(await auditListed(dynamodbTableAuditor, context));
    await dynamodbTableMaker.create(context);
    expect(failedCheckIds(await auditListed(dynamodbTableAuditor, context))).toEqual(EVERY_CHECK);

    await remediateAll(await auditListed(dynamodbTableAuditor, context));
    expect(await dynamodbTableMaker.teardown(context)).toEqual([NAME]);
    expect(await dynamodbTableMaker.teardown(context)).toEqual([]);
    expect(await makerResourcesListed(dynamodbTableAuditor, context)).toEqual([]);
  });

  it('does not claim shared_unknown_account when 000000000000 is configured as trusted', async () => {
    const config = makeConfig({ trustedAccounts: [NONEXISTENT_ACCOUNT] });
    const context = makerContext(sandboxOrganization(), config);
    await dynamodbTableMaker.create(context);
    expect(failedCheckIds(await auditListed(dynamodbTableAuditor, context))).toEqual([...dynamodbTableMaker.provokes(config)].sort());
  });
});
