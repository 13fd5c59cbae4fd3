import { DescribeFileSystemPolicyCommand, EFSClient } from '@aws-sdk/client-efs';
import { describe, expect, it } from 'vitest';
import { efsFileSystemAuditor } from '../../auditors/efsFileSystem.ts';
import { efsFileSystemMaker, makerFileSystemName } from '../../misconfiguration-maker/entries/efsFileSystem.ts';
import { NONEXISTENT_ACCOUNT } from '../../misconfiguration-maker/makerContract.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, makerResourcesListed, notifyOnlyIds, remediateAll } from './makerHarness.ts';

describe('efs_file_system maker', () => {
  it('plans one unreachable, unencrypted file system with a public and an unknown-account policy', () => {
    expect(efsFileSystemMaker.plan(ACCOUNT, REGION)).toEqual([expect.stringContaining(makerFileSystemName(ACCOUNT, REGION))]);
  });

  it('fails exactly the provoked checks; remediation narrows the policy to the kept Deny, unencrypted stays notify-only; a second run makes no change', async () => {
    const config = makeConfig();
    const organization = sandboxOrganization();
    const context = makerContext(organization, config);
    const ids = await efsFileSystemMaker.create(context);
    expect(await efsFileSystemMaker.create(context)).toEqual(ids);

    const before = await auditListed(efsFileSystemAuditor, context);
    const outcomes = await remediateAll(before);
    const after = await auditListed(efsFileSystemAuditor, context);
    const again = await remediateAll(before);

    expect(before.map((r) => [r.id, r.maker])).toEqual([[ids[0], true]]);
    expect(failedCheckIds(before)).toEqual([...efsFileSystemMaker.provokes(config)].sort());
    expect(notifyOnlyIds(before)).toEqual(['efs_file_system.unencrypted']);
    expect(outcomes).toEqual(['efs_file_system.public_policy=applied', 'efs_file_system.shared_unknown_account=applied']);
    expect(failedCheckIds(after)).toEqual(['efs_file_system.unencrypted']);
    expect(again).toEqual(['efs_file_system.public_policy=already_compliant', 'efs_file_system.shared_unknown_account=already_compliant']);
    const { Policy } = await context.clients.get(EFSClient).send(new DescribeFileSystemPolicyCommand({ FileSystemId: ids[0] }));
    expect(JSON.parse(Policy ?? '{}')).toMatchObject({ Statement: [{ Sid: 'MisconfigurationMakerSecureTransport', Effect: 'Deny' }] });
    expect(await auditListed(efsFileSystemAuditor, makerContext(organization, config, { account: OTHER_ACCOUNT }))).toEqual([]);
  });

  it('re-creating puts the misconfigured policy back on the same file system', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    const ids = await efsFileSystemMaker.create(context);
    await remediateAll(await auditListed(efsFileSystemAuditor, context));
    expect(await efsFileSystemMaker.create(context)).toEqual(ids);
    expect(failedCheckIds(await auditListed(efsFileSystemAuditor, context))).toEqual(['efs_file_system.public_policy', 'efs_file_system.shared_unknown_account', 'efs_file_system.unencrypted']);
  });

  it('does not claim shared_unknown_account when 000000000000 is trusted', async () => {
    const config = makeConfig({ trustedAccounts: [NONEXISTENT_ACCOUNT] });
    const context = makerContext(sandboxOrganization(), config);
    await efsFileSystemMaker.create(context);
    expect(failedCheckIds(await auditListed(efsFileSystemAuditor, context))).toEqual([...efsFileSystemMaker.provokes(config)].sort());
    expect(efsFileSystemMaker.provokes(config)).not.toContain('efs_file_system.shared_unknown_account');
  });

  it('tears down exactly its file system, idempotently', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    const ids = await efsFileSystemMaker.create(context);
    expect(await efsFileSystemMaker.teardown(context)).toEqual(ids);
    expect(await efsFileSystemMaker.teardown(context)).toEqual([]);
    expect(await makerResourcesListed(efsFileSystemAuditor, context)).toEqual([]);
  });
});
