import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolesCommand, UpdateAssumeRolePolicyCommand, type Role } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, type FailedCheck } from '../../auditors/contract.ts';
import { iamRoleAuditor, roleNameOf } from '../../auditors/iamRole.ts';
import { awsError, collectAll, makeCheckContext, makeListContext, makeResourceContext } from '../helpers/context.ts';
import {
  EC2_TRUST,
  GITHUB_OIDC_TRUST,
  MIXED_TRUST,
  ORG_TRUST,
  OWNER_TRUST,
  PARTNER_TRUST,
  SERVICE_LINKED_ROLE,
  VENDOR_TRUST,
  iamEncode,
  publicTrust,
  role,
  trustPolicy,
} from '../fixtures/iamRole.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const iam = mockClient(IAMClient);
const ROLE = 'orders-deployer';
const DENY_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}';

/** A role that behaves like IAM: GetRole answers the trust policy UpdateAssumeRolePolicy last wrote, URL-encoded. */
function givenRole(trust: string, name = ROLE, path = '/'): Role {
  const stored = role(name, trust, path);
  iam.on(GetRoleCommand, { RoleName: name }).callsFake(() => ({ Role: { ...stored } }));
  iam.on(UpdateAssumeRolePolicyCommand, { RoleName: name }).callsFake((input: { PolicyDocument: string }) => {
    stored.AssumeRolePolicyDocument = iamEncode(input.PolicyDocument);
    return {};
  });
  return stored;
}

async function failedChecks(id = ROLE): Promise<FailedCheck[]> {
  return failedChecksOf(await iamRoleAuditor.audit(makeResourceContext(id), makeCheckContext(id)));
}

async function failedIds(id = ROLE): Promise<string[]> {
  return (await failedChecks(id)).map((f) => f.check.id);
}

function writtenTrust(): unknown[] {
  return iam.commandCalls(UpdateAssumeRolePolicyCommand).map((call) => JSON.parse(call.args[0].input.PolicyDocument ?? '{}'));
}

describe('iam_role auditor', () => {
  beforeEach(() => {
    iam.reset();
    // No managed policy attached unless a test says otherwise (IAM.1 is tested in adminPolicies.test.ts).
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
  });

  describe('list', () => {
    it('follows Marker while IsTruncated and yields role names', async () => {
      // Prepare
      iam.on(ListRolesCommand, { Marker: undefined }).resolves({
        Roles: [role(ROLE, trustPolicy(OWNER_TRUST)), SERVICE_LINKED_ROLE],
        IsTruncated: true,
        Marker: 'AAQAAAAAAAAABBx0dRQ2AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      });
      iam.on(ListRolesCommand, { Marker: 'AAQAAAAAAAAABBx0dRQ2AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }).resolves({
        Roles: [role('misconfiguration-maker-public-trust', trustPolicy(publicTrust()))],
        IsTruncated: false,
      });
      // Act
      const listed = await collectAll(iamRoleAuditor.list(makeListContext()));
      // Assess
      expect(listed).toEqual([
        { id: ROLE, name: ROLE },
        { id: 'AWSServiceRoleForElasticLoadBalancing', name: 'AWSServiceRoleForElasticLoadBalancing' },
        { id: 'misconfiguration-maker-public-trust', name: 'misconfiguration-maker-public-trust' },
      ]);
      expect(iam.commandCalls(ListRolesCommand)).toHaveLength(2);
      expect(iamRoleAuditor.scope).toBe('global');
    });
  });

  describe('checks', () => {
    it.each([
      ['an AWS service', trustPolicy(EC2_TRUST)],
      ['the owner account', trustPolicy(OWNER_TRUST)],
      ['a trusted account', trustPolicy(PARTNER_TRUST)],
      ['"*" limited to the organization', trustPolicy(ORG_TRUST)],
      ['"*" limited by aws:PrincipalArn', trustPolicy({ ...publicTrust(), Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/ci-*' } } })],
      ['a GitHub OIDC provider in the account', trustPolicy(GITHUB_OIDC_TRUST)],
      ['a Deny to everyone', DENY_ALL],
      ['a pretty-printed document', JSON.stringify(JSON.parse(trustPolicy(EC2_TRUST, PARTNER_TRUST)), null, 2)],
    ])('a role trusting %s fails no check', async (_name, trust) => {
      givenRole(trust);
      expect(await failedIds()).toEqual([]);
    });

    it('a service-linked role trusted by its AWS service fails no check', async () => {
      iam.on(GetRoleCommand, { RoleName: 'AWSServiceRoleForElasticLoadBalancing' }).resolves({ Role: SERVICE_LINKED_ROLE });
      expect(await failedIds('AWSServiceRoleForElasticLoadBalancing')).toEqual([]);
    });

    const publicForms: [string, object][] = [
      ['Principal {"AWS":"*"}', publicTrust()],
      ['Principal "*"', { ...publicTrust(), Principal: '*' }],
      ['"*" in a list of principals', { ...publicTrust(), Principal: { AWS: ['arn:aws:iam::111111111111:root', '*'] } }],
      ['"*" with only an ExternalId', { ...publicTrust(), Condition: { StringEquals: { 'sts:ExternalId': 'not-a-secret' } } }],
      ['StringNotEquals aws:PrincipalOrgID', { ...publicTrust(), Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }],
    ];
    it.each(publicForms)('public_trust: %s', async (_name, statement) => {
      givenRole(trustPolicy(EC2_TRUST, statement));
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['iam_role.public_trust']);
      expect(failed[0]?.violation.detail).toBe('trust policy statement "AnyoneCanAssume" allows principal "*" without a restricting condition');
      expect(failed[0]?.check.severity).toBe('critical');
    });

    it.each([
      ['an account root, even with an ExternalId', [VENDOR_TRUST], 'trust policy statement "VendorReadOnly" grants 999999999999'],
      ['a role beside a trusted account', [MIXED_TRUST], 'trust policy statement "CrossAccountOps" grants 999999999999'],
      [
        'a bare account id, without a Sid',
        [{ Effect: 'Allow', Principal: { AWS: '888888888888' }, Action: 'sts:AssumeRole' }],
        'trust policy statement #2 grants 888888888888',
      ],
      [
        '"*" limited to an unknown account',
        [{ ...publicTrust('ForeignAccount'), Condition: { StringEquals: { 'aws:PrincipalAccount': '999999999999' } } }],
        'trust policy statement "ForeignAccount" grants 999999999999',
      ],
    ])('untrusted_account_trust: %s', async (_name, statements, detail) => {
      givenRole(trustPolicy(EC2_TRUST, ...statements));
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['iam_role.untrusted_account_trust']);
      expect(failed[0]?.violation.detail).toBe(detail);
      expect(failed[0]?.check.severity).toBe('high');
    });

    it('untrusted_account_trust: an account id that contains a trusted one is not trusted', async () => {
      givenRole(trustPolicy({ ...PARTNER_TRUST, Principal: { AWS: 'arn:aws:iam::222222222223:root' } }));
      expect(await failedIds()).toEqual(['iam_role.untrusted_account_trust']);
    });

    it('parses the URL-encoded document GetRole returns (%2A for "*")', async () => {
      const stored = givenRole(trustPolicy(publicTrust()));
      expect(stored.AssumeRolePolicyDocument).toContain('%22AWS%22%3A%22%2A%22');
      expect(await failedIds()).toEqual(['iam_role.public_trust']);
    });

    it('accepts a role ARN as id', async () => {
      givenRole(trustPolicy(VENDOR_TRUST), 'orders-deployer', '/service/');
      expect(roleNameOf('arn:aws:iam::111111111111:role/service/orders-deployer')).toBe('orders-deployer');
      expect(await failedIds('arn:aws:iam::111111111111:role/service/orders-deployer')).toEqual(['iam_role.untrusted_account_trust']);
    });

    it.each(['NoSuchEntity', 'NoSuchEntityException'])('a role that vanished (%s) is gone', async (name) => {
      iam.on(GetRoleCommand).rejects(awsError(name, 404));
      expect(await iamRoleAuditor.audit(makeResourceContext(ROLE), makeCheckContext(ROLE))).toBe(GONE);
    });

    it('AccessDenied propagates (it is an error, not a finding)', async () => {
      iam.on(GetRoleCommand).rejects(awsError('AccessDenied', 403));
      await expect(iamRoleAuditor.audit(makeResourceContext(ROLE), makeCheckContext(ROLE))).rejects.toThrow('AccessDenied');
    });
  });

  describe('remediations', () => {
    async function remediation(checkId: string): Promise<() => Promise<string>> {
      const remediate = (await failedChecks()).find((f) => f.check.id === checkId)?.remediate;
      if (!remediate) throw new Error(`${checkId} did not fail or has no remediation`);
      return remediate;
    }

    it('public_trust removes only the public statements, keeping the others', async () => {
      // Prepare
      givenRole(trustPolicy(EC2_TRUST, publicTrust(), PARTNER_TRUST));
      const remediate = await remediation('iam_role.public_trust');
      // Act
      const outcome = await remediate();
      // Assess
      expect(outcome).toBe('applied');
      expect(iam.commandCalls(UpdateAssumeRolePolicyCommand)[0]?.args[0].input.RoleName).toBe(ROLE);
      expect(writtenTrust()).toEqual([{ Version: '2012-10-17', Statement: [EC2_TRUST, PARTNER_TRUST] }]);
    });

    it('public_trust writes a deny-all when no statement would be left', async () => {
      givenRole(trustPolicy(publicTrust()));
      const remediate = await remediation('iam_role.public_trust');
      expect(await remediate()).toBe('applied');
      expect(iam.commandCalls(UpdateAssumeRolePolicyCommand)[0]?.args[0].input).toEqual({ RoleName: ROLE, PolicyDocument: DENY_ALL });
    });

    it('untrusted_account_trust removes only the unknown account, keeping trusted principals of the same statement', async () => {
      givenRole(trustPolicy(EC2_TRUST, MIXED_TRUST, VENDOR_TRUST, PARTNER_TRUST));
      const remediate = await remediation('iam_role.untrusted_account_trust');
      expect(await remediate()).toBe('applied');
      expect(writtenTrust()).toEqual([
        {
          Version: '2012-10-17',
          Statement: [EC2_TRUST, { ...MIXED_TRUST, Principal: { AWS: 'arn:aws:iam::222222222222:root' } }, PARTNER_TRUST],
        },
      ]);
    });

    it('untrusted_account_trust writes a deny-all when no statement would be left', async () => {
      givenRole(trustPolicy(VENDOR_TRUST));
      const remediate = await remediation('iam_role.untrusted_account_trust');
      expect(await remediate()).toBe('applied');
      expect(iam.commandCalls(UpdateAssumeRolePolicyCommand)[0]?.args[0].input).toEqual({ RoleName: ROLE, PolicyDocument: DENY_ALL });
    });

    it('untrusted_account_trust keeps the service principal of a statement that also named the unknown account', async () => {
      givenRole(trustPolicy({ ...VENDOR_TRUST, Principal: { AWS: 'arn:aws:iam::999999999999:root', Service: 'lambda.amazonaws.com' } }));
      const remediate = await remediation('iam_role.untrusted_account_trust');
      expect(await remediate()).toBe('applied');
      expect(writtenTrust()).toEqual([{ Version: '2012-10-17', Statement: [{ ...VENDOR_TRUST, Principal: { Service: 'lambda.amazonaws.com' } }] }]);
    });

    it.each([
      ['iam_role.public_trust', trustPolicy(EC2_TRUST, publicTrust(), VENDOR_TRUST)],
      ['iam_role.public_trust', trustPolicy(publicTrust())],
      ['iam_role.untrusted_account_trust', trustPolicy(EC2_TRUST, publicTrust(), MIXED_TRUST)],
      ['iam_role.untrusted_account_trust', trustPolicy(VENDOR_TRUST)],
    ])('%s: a second run against the fixed role makes no mutating call (%s)', async (checkId, trust) => {
      // Prepare: the first run fixed the role
      givenRole(trust);
      const remediate = await remediation(checkId);
      expect(await remediate()).toBe('applied');
      iam.resetHistory();
      // Act
      const outcome = await remediate();
      // Assess
      expect(outcome).toBe('already_compliant');
      expect(iam.commandCalls(UpdateAssumeRolePolicyCommand)).toHaveLength(0);
    });

    it('a role deleted before remediation is gone, with no mutating call', async () => {
      givenRole(trustPolicy(publicTrust()));
      const remediate = await remediation('iam_role.public_trust');
      iam.reset();
      iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 404));
      expect(await remediate()).toBe('gone');
      expect(iam.commandCalls(UpdateAssumeRolePolicyCommand)).toHaveLength(0);
    });
  });

  it('declares what it calls', () => {
    expect(iamRoleAuditor.permissions).toEqual({ list: ['iam:ListRoles'], collect: ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:GetPolicy', 'iam:GetPolicyVersion'] });
    expect(Object.keys(iamRoleAuditor.remediations)).toEqual(['iam_role.public_trust', 'iam_role.untrusted_account_trust']);
    for (const remediation of Object.values(iamRoleAuditor.remediations)) {
      expect(remediation.permissions).toEqual(['iam:GetRole', 'iam:UpdateAssumeRolePolicy']);
    }
    expect(iamRoleAuditor.triggers).toEqual([
      { eventSource: 'iam.amazonaws.com', eventNames: ['CreateRole', 'UpdateAssumeRolePolicy', 'AttachRolePolicy'], idPath: 'requestParameters.roleName' },
    ]);
  });
});
