import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { eksClusterAuditor } from '../../auditors/eksCluster.ts';
import { eksClusterMaker, makerClusterName, makerClusterRoleName } from '../../misconfiguration-maker/entries/eksCluster.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, makerResourcesListed, notifyOnlyIds, remediateAll } from './makerHarness.ts';

const NAME = makerClusterName(ACCOUNT, REGION);

describe('eks_cluster maker', () => {
  it('fails exactly the provoked checks; the audit log is turned on, the public endpoint stays notify-only; a second run makes no change', async () => {
    const config = makeConfig();
    const organization = sandboxOrganization();
    const context = makerContext(organization, config);
    expect(await eksClusterMaker.create(context)).toEqual([NAME]);
    expect(await eksClusterMaker.create(context)).toEqual([NAME]);

    const before = await auditListed(eksClusterAuditor, context);
    const outcomes = await remediateAll(before);
    const after = await auditListed(eksClusterAuditor, context);
    const again = await remediateAll(before);

    expect(before.map((r) => [r.id, r.maker])).toEqual([[NAME, true]]);
    expect(failedCheckIds(before)).toEqual([...eksClusterMaker.provokes(config)].sort());
    expect(notifyOnlyIds(before)).toEqual(['eks_cluster.public_endpoint_open']);
    expect(outcomes).toEqual(['eks_cluster.audit_logging_off=applied']);
    expect(failedCheckIds(after)).toEqual(['eks_cluster.public_endpoint_open']);
    expect(again).toEqual(['eks_cluster.audit_logging_off=already_compliant']);
    expect(await auditListed(eksClusterAuditor, makerContext(organization, config, { account: OTHER_ACCOUNT }))).toEqual([]);
  });

  it('re-creating turns the audit log off again', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await eksClusterMaker.create(context);
    await remediateAll(await auditListed(eksClusterAuditor, context));
    await eksClusterMaker.create(context);
    expect(failedCheckIds(await auditListed(eksClusterAuditor, context))).toEqual(['eks_cluster.audit_logging_off', 'eks_cluster.public_endpoint_open']);
  });

  it('tears down its cluster and its role, idempotently', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await eksClusterMaker.create(context);
    expect(await eksClusterMaker.teardown(context)).toEqual([NAME, makerClusterRoleName(ACCOUNT, REGION)]);
    expect(await eksClusterMaker.teardown(context)).toEqual([]);
    expect(await makerResourcesListed(eksClusterAuditor, context)).toEqual([]);
    await expectAwsError(context.clients.get(IAMClient).send(new GetRoleCommand({ RoleName: makerClusterRoleName(ACCOUNT, REGION) })), { name: 'NoSuchEntityException', code: 'NoSuchEntity', status: 404 });
  });
});
