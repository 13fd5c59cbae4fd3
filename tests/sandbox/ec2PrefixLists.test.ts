import {
  AuthorizeSecurityGroupIngressCommand,
  type AuthorizeSecurityGroupIngressCommandOutput,
  CreateManagedPrefixListCommand,
  CreateSecurityGroupCommand,
  DescribeManagedPrefixListsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
  paginateGetManagedPrefixListEntries,
  type GetManagedPrefixListEntriesCommandInput,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { securityGroupAuditor } from '../../auditors/securityGroup.ts';
import { ACCOUNT, makeCheckContext, makeConfig } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const VPN_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '0.0.0.0/0'];

describe('sandbox EC2: managed prefix lists', () => {
  let organization: SandboxOrganization;
  let ec2: EC2Client;

  beforeEach(() => {
    organization = sandboxOrganization();
    ec2 = organization.clients().get(EC2Client);
  });

  async function createList(cidrs: readonly string[], family: 'IPv4' | 'IPv6' = 'IPv4'): Promise<string> {
    const { PrefixList } = await ec2.send(
      new CreateManagedPrefixListCommand({ PrefixListName: 'vpn-users', AddressFamily: family, MaxEntries: 10, Entries: cidrs.map((Cidr) => ({ Cidr, Description: `range ${Cidr}` })) }),
    );
    return PrefixList?.PrefixListId ?? '';
  }

  it('CreateManagedPrefixList answers the list being created; DescribeManagedPrefixLists then shows it complete, version 1', async () => {
    const { PrefixList } = await ec2.send(
      new CreateManagedPrefixListCommand({
        PrefixListName: 'vpn-users',
        AddressFamily: 'IPv4',
        MaxEntries: 10,
        Entries: [{ Cidr: '10.0.0.0/8' }],
        TagSpecifications: [{ ResourceType: 'prefix-list', Tags: [{ Key: 'team', Value: 'net' }] }],
      }),
    );
    expect(PrefixList).toEqual({
      PrefixListId: expect.stringMatching(/^pl-[0-9a-f]{17}$/),
      AddressFamily: 'IPv4',
      State: 'create-in-progress',
      PrefixListArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:prefix-list/${PrefixList?.PrefixListId}`,
      PrefixListName: 'vpn-users',
      MaxEntries: 10,
      Version: 1,
      OwnerId: ACCOUNT,
      Tags: [{ Key: 'team', Value: 'net' }],
    });
    const { PrefixLists } = await ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: [PrefixList?.PrefixListId ?? ''] }));
    expect(PrefixLists?.map((p) => [p.PrefixListId, p.State])).toEqual([[PrefixList?.PrefixListId, 'create-complete']]);
  });

  it('GetManagedPrefixListEntries pages with MaxResults and NextToken; the paginator reads every entry', async () => {
    const id = await createList(VPN_RANGES);
    const first = await ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: id, MaxResults: 2 }));
    expect(first.Entries).toEqual([
      { Cidr: '10.0.0.0/8', Description: 'range 10.0.0.0/8' },
      { Cidr: '172.16.0.0/12', Description: 'range 172.16.0.0/12' },
    ]);
    expect(first.NextToken).toEqual(expect.any(String));
    const cidrs: string[] = [];
    for await (const page of paginateGetManagedPrefixListEntries({ client: ec2, pageSize: 2 }, { PrefixListId: id })) cidrs.push(...(page.Entries ?? []).map((e) => e.Cidr ?? ''));
    expect(cidrs).toEqual(VPN_RANGES);
  });

  it.each<[string, GetManagedPrefixListEntriesCommandInput, string]>([
    ['an unknown id', { PrefixListId: 'pl-0123456789abcdef0' }, 'InvalidPrefixListID.NotFound'],
    ['a malformed id', { PrefixListId: 'vpn-users' }, 'InvalidPrefixListID.Malformed'],
    ['no id', { PrefixListId: undefined }, 'MissingParameter'],
    ['MaxResults 0', { PrefixListId: 'pl-0123456789abcdef0', MaxResults: 0 }, 'InvalidParameterValue'],
    ['MaxResults 101', { PrefixListId: 'pl-0123456789abcdef0', MaxResults: 101 }, 'InvalidParameterValue'],
  ])('GetManagedPrefixListEntries refuses %s as EC2 does', async (_name, input, code) => {
    if (input.MaxResults !== undefined) input.PrefixListId = await createList(['10.0.0.0/8']);
    await expectAwsError(ec2.send(new GetManagedPrefixListEntriesCommand(input)), { name: code, status: 400 });
  });

  it.each([
    ['an IPv6 CIDR in an IPv4 list', ['2001:db8::/32'], 'IPv4' as const],
    ['more entries than MaxEntries', Array.from({ length: 11 }, (_, i) => `10.${i}.0.0/16`), 'IPv4' as const],
  ])('CreateManagedPrefixList refuses %s', async (_name, cidrs, family) => {
    await expectAwsError(createList(cidrs, family), { name: 'InvalidParameterValue', status: 400 });
  });

  describe('the security_group auditor against the sandbox', () => {
    async function groupWithSshFrom(prefixListId: string): Promise<string> {
      const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'bastion', Description: 'bastion' }));
      const output: AuthorizeSecurityGroupIngressCommandOutput = await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, PrefixListIds: [{ PrefixListId: prefixListId, Description: 'vpn' }] }] }),
      );
      expect(output.SecurityGroupRules?.[0]?.PrefixListId).toBe(prefixListId);
      return GroupId ?? '';
    }

    async function audit(groupId: string) {
      const config = makeConfig({ revokeOpenIngress: true });
      const context = { account: ACCOUNT, region: 'us-east-1', id: groupId, clients: organization.clients(), config };
      return failedChecksOf(await securityGroupAuditor.audit(context, makeCheckContext(groupId, { config })));
    }

    it.each([
      ['a list holding 0.0.0.0/0 opens SSH to the world', VPN_RANGES, ['security_group.open_admin_port']],
      ['a list of private ranges does not', VPN_RANGES.slice(0, 4), []],
    ])('%s', async (_name, cidrs, expected) => {
      const groupId = await groupWithSshFrom(await createList(cidrs));
      expect((await audit(groupId)).map((f) => f.check.id)).toEqual(expected);
    });

    it('remediation removes the reference; a second audit finds nothing to do', async () => {
      const groupId = await groupWithSshFrom(await createList(VPN_RANGES));
      const [failed] = await audit(groupId);
      expect(await failed?.remediate?.()).toBe('applied');
      const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
      expect(SecurityGroups?.[0]?.IpPermissions).toEqual([]);
      expect(await audit(groupId)).toEqual([]);
      expect(await failed?.remediate?.()).toBe('already_compliant');
    });
  });
});
