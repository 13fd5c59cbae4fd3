import { DescribeDocumentCommand, DescribeDocumentPermissionCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { ssmDocumentAuditor } from '../../auditors/ssmDocument.ts';
import { makerDocumentName, makerSharedDocumentName, ssmDocumentMaker } from '../../misconfiguration-maker/entries/ssmDocument.ts';
import { NONEXISTENT_ACCOUNT } from '../../misconfiguration-maker/makerContract.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, makerResourcesListed, remediateAll } from './makerHarness.ts';

const NAME = makerDocumentName(ACCOUNT, REGION);
const SHARED = makerSharedDocumentName(ACCOUNT, REGION);

async function sharedWith(client: SSMClient, name = NAME): Promise<string[] | undefined> {
  return (await client.send(new DescribeDocumentPermissionCommand({ Name: name, PermissionType: 'Share' }))).AccountIds;
}

describe('ssm_document maker', () => {
  it('makes two tagged Command documents that run `true`: one shared with all accounts, one with the nonexistent account', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());

    expect(await ssmDocumentMaker.create(context)).toEqual([NAME, SHARED]);

    const client = context.clients.get(SSMClient);
    for (const name of [NAME, SHARED]) {
      expect((await client.send(new DescribeDocumentCommand({ Name: name }))).Document).toMatchObject({ DocumentType: 'Command', Tags: [{ Key: 'created-by', Value: 'misconfiguration-maker' }] });
    }
    expect(await sharedWith(client)).toEqual(['all']);
    expect(await sharedWith(client, SHARED)).toEqual([NONEXISTENT_ACCOUNT]);
  });

  it('fails exactly the provoked checks; remediation stops the sharing, a second run makes no call', async () => {
    const config = makeConfig();
    const organization = sandboxOrganization();
    const context = makerContext(organization, config);
    await ssmDocumentMaker.create(context);
    await ssmDocumentMaker.create(context);

    const before = await auditListed(ssmDocumentAuditor, context);
    const outcomes = await remediateAll(before);
    const after = await auditListed(ssmDocumentAuditor, context);
    const again = await remediateAll(before);

    expect(before.map((a) => [a.id, a.maker])).toEqual([[NAME, true], [SHARED, true]]);
    expect(failedCheckIds(before)).toEqual([...ssmDocumentMaker.provokes(config)].sort());
    expect(failedCheckIds(before)).toEqual(['ssm_document.public', 'ssm_document.shared_unknown_account']);
    expect(outcomes).toEqual(['ssm_document.public=applied', 'ssm_document.shared_unknown_account=applied']);
    expect(failedCheckIds(after)).toEqual([]);
    expect(again).toEqual(['ssm_document.public=already_compliant', 'ssm_document.shared_unknown_account=already_compliant']);
    expect(await sharedWith(context.clients.get(SSMClient))).toEqual([]);
    expect(await sharedWith(context.clients.get(SSMClient), SHARED)).toEqual([]);
    expect(await auditListed(ssmDocumentAuditor, makerContext(organization, config, { region: 'eu-west-1' }))).toEqual([]);
    expect(await auditListed(ssmDocumentAuditor, makerContext(organization, config, { account: OTHER_ACCOUNT }))).toEqual([]);
  });

  it('does not claim shared_unknown_account when 000000000000 is configured as trusted', async () => {
    const config = makeConfig({ trustedAccounts: [NONEXISTENT_ACCOUNT] });
    const context = makerContext(sandboxOrganization(), config);
    await ssmDocumentMaker.create(context);

    expect(failedCheckIds(await auditListed(ssmDocumentAuditor, context))).toEqual([...ssmDocumentMaker.provokes(config)].sort());
    expect(ssmDocumentMaker.provokes(config)).toEqual(['ssm_document.public']);
  });

  it('re-creating shares the same documents again', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await ssmDocumentMaker.create(context);
    await remediateAll(await auditListed(ssmDocumentAuditor, context));

    expect(await ssmDocumentMaker.create(context)).toEqual([NAME, SHARED]);

    expect(failedCheckIds(await auditListed(ssmDocumentAuditor, context))).toEqual(['ssm_document.public', 'ssm_document.shared_unknown_account']);
  });

  it('tears down exactly its documents (unshared first), idempotently', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await ssmDocumentMaker.create(context);

    expect(await ssmDocumentMaker.teardown(context)).toEqual([NAME, SHARED]);
    expect(await ssmDocumentMaker.teardown(context)).toEqual([]);
    expect(await makerResourcesListed(ssmDocumentAuditor, context)).toEqual([]);
  });
});
