/**
 * The security_group auditor against moto: a rule that references a managed
 * prefix list holding 0.0.0.0/0 is open, and the remediation keeps the
 * allowed ports of the revoked range open, in one change a second run does
 * not repeat. Accounts 2111000000xx are this file's own.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateManagedPrefixListCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { securityGroupAuditor } from '../../auditors/securityGroup.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { makeCheckContext, makeConfig } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';
import { motoEnvironment } from '../integration/moto.ts';

const MEMBER = '211100000001';
const REGION = 'us-east-1';

describe('security_group auditor against moto (integration)', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(motoEnvironment())) vi.stubEnv(name, value);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('a range referencing an open prefix list is revoked, the allowed ports kept; a second run changes nothing', async () => {
    const clients = new ClientFactory({ memberRoleName: 'ComplianceAuditorMemberRole', externalId: 'integration-external-id', assumeRole: true }).forAccount(MEMBER, REGION);
    const ec2 = clients.get(EC2Client);
    const { PrefixList } = await ec2.send(
      new CreateManagedPrefixListCommand({ PrefixListName: 'partners', AddressFamily: 'IPv4', MaxEntries: 5, Entries: [{ Cidr: '198.51.100.0/24' }, { Cidr: '0.0.0.0/0' }] }),
    );
    const listId = PrefixList?.PrefixListId ?? '';
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `partners-${Date.now()}`, Description: 'partner access' }));
    const groupId = GroupId ?? '';
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 1000, PrefixListIds: [{ PrefixListId: listId }] }] }));

    const config = makeConfig({ revokeOpenIngress: true, accounts: [MEMBER] });
    const audit = async () => failedChecksOf(await securityGroupAuditor.audit({ account: MEMBER, region: REGION, id: groupId, clients, config }, makeCheckContext(groupId, { account: MEMBER, config })));

    const failed = await audit();
    expect(failed.map((f) => f.check.id)).toEqual(['security_group.open_admin_port', 'security_group.open_ingress']);
    expect(await failed[0]?.remediate?.()).toBe('applied');

    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
    const kept = (SecurityGroups?.[0]?.IpPermissions ?? []).map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.PrefixListIds?.map((l) => l.PrefixListId)]);
    expect(kept).toEqual(expect.arrayContaining([['tcp', 80, 80, [listId]], ['tcp', 443, 443, [listId]]]));
    expect(kept).toHaveLength(2);
    expect(await audit()).toEqual([]);
    expect(await failed[1]?.remediate?.()).toBe('already_compliant');
  });
});
