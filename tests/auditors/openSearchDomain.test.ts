import {
  DescribeDomainCommand,
  ListDomainNamesCommand,
  ListTagsCommand,
  OpenSearchClient,
  UpdateDomainConfigCommand,
  type DomainStatus,
  type UpdateDomainConfigRequest,
} from '@aws-sdk/client-opensearch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, NotReady, type FailedCheck } from '../../auditors/contract.ts';
import { openSearchDomainAuditor } from '../../auditors/openSearchDomain.ts';
import { ACCOUNT, awsError, collectAll, makeCheckContext, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const openSearch = mockClient(OpenSearchClient);
const DOMAIN = 'orders-search';
const ARN = `arn:aws:es:us-east-1:${ACCOUNT}:domain/${DOMAIN}`;
const INDEXES = `${ARN}/*`;

const ACCOUNT_ACCESS = { Sid: 'Account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'es:*', Resource: INDEXES };
const OPEN = { Sid: 'Open', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'es:*', Resource: INDEXES };
const OFFICE_IPS = { ...OPEN, Sid: 'Office', Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.7/32'] } } };
const ANY_IP = { ...OPEN, Sid: 'AnyIp', Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } };
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** A DescribeDomain DomainStatus as OpenSearch Service answers it: compliant unless overridden. */
function domainStatus(overrides: Partial<DomainStatus> = {}): DomainStatus {
  return {
    DomainId: `${ACCOUNT}/${DOMAIN}`,
    DomainName: DOMAIN,
    ARN,
    Created: true,
    Deleted: false,
    Endpoint: `search-${DOMAIN}-abcdefghijklmnopqrstuvwxyz.us-east-1.es.amazonaws.com`,
    Processing: false,
    UpgradeProcessing: false,
    EngineVersion: 'OpenSearch_2.19',
    ClusterConfig: { InstanceType: 'r6g.large.search', InstanceCount: 2, DedicatedMasterEnabled: false, ZoneAwarenessEnabled: true },
    EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 100, Iops: 3000, Throughput: 125 },
    AccessPolicies: policy(ACCOUNT_ACCESS),
    EncryptionAtRestOptions: { Enabled: true, KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d` },
    NodeToNodeEncryptionOptions: { Enabled: true },
    DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10', CustomEndpointEnabled: false },
    AdvancedSecurityOptions: { Enabled: false, InternalUserDatabaseEnabled: false, AnonymousAuthEnabled: false },
    ...overrides,
  };
}

/** A domain that behaves like OpenSearch Service: DescribeDomain answers what UpdateDomainConfig last wrote. */
function givenDomain(overrides: Partial<DomainStatus> = {}): { status: DomainStatus } {
  const stored = { status: domainStatus(overrides) };
  openSearch.on(DescribeDomainCommand, { DomainName: DOMAIN }).callsFake(() => ({ DomainStatus: structuredClone(stored.status) }));
  openSearch.on(ListTagsCommand, { ARN }).resolves({ TagList: [{ Key: 'team', Value: 'orders' }] });
  openSearch.on(UpdateDomainConfigCommand, { DomainName: DOMAIN }).callsFake((input: UpdateDomainConfigRequest) => {
    const { status } = stored;
    stored.status = {
      ...status,
      ...(input.AccessPolicies !== undefined ? { AccessPolicies: input.AccessPolicies } : {}),
      ...(input.NodeToNodeEncryptionOptions ? { NodeToNodeEncryptionOptions: input.NodeToNodeEncryptionOptions } : {}),
      ...(input.DomainEndpointOptions ? { DomainEndpointOptions: input.DomainEndpointOptions } : {}),
    };
    return { DomainConfig: {} };
  });
  return stored;
}

async function failedChecks(): Promise<FailedCheck[]> {
  return failedChecksOf(await openSearchDomainAuditor.audit(makeResourceContext(DOMAIN), makeCheckContext(DOMAIN)));
}

describe('opensearch_domain auditor', () => {
  beforeEach(() => openSearch.reset());

  it('declares its APIs, triggers, controls and remediation risks', () => {
    expect(openSearchDomainAuditor.permissions).toEqual({ list: ['es:ListDomainNames', 'es:ListTags'], collect: ['es:DescribeDomain', 'es:ListTags'] });
    expect(openSearchDomainAuditor.triggers).toEqual([
      { eventSource: 'es.amazonaws.com', eventNames: ['CreateDomain', 'UpdateDomainConfig', 'CreateElasticsearchDomain', 'UpdateElasticsearchDomainConfig'], idPath: 'requestParameters.domainName' },
    ]);
    expect(openSearchDomainAuditor.checks.map((c) => [c.id, 'none' in c.controls ? 'none' : c.controls])).toEqual([
      ['opensearch_domain.public_access_policy', 'none'],
      ['opensearch_domain.encryption_at_rest_off', { fsbp: ['Opensearch.1'] }],
      ['opensearch_domain.node_to_node_encryption_off', { fsbp: ['Opensearch.3'] }],
      ['opensearch_domain.https_not_enforced', { fsbp: ['Opensearch.8'] }],
    ]);
    expect(Object.entries(openSearchDomainAuditor.remediations).map(([id, r]) => [id, r.risk])).toEqual([
      ['opensearch_domain.public_access_policy', 'disruptive'],
      ['opensearch_domain.https_not_enforced', 'disruptive'],
    ]);
  });

  it('list yields every domain name with its tags (ListDomainNames has no pagination)', async () => {
    openSearch.on(ListDomainNamesCommand).resolves({ DomainNames: [{ DomainName: DOMAIN, EngineType: 'OpenSearch' }, { DomainName: 'legacy-logs', EngineType: 'Elasticsearch' }] });
    openSearch.on(ListTagsCommand, { ARN }).resolves({ TagList: [{ Key: 'team', Value: 'orders' }] });
    openSearch.on(ListTagsCommand, { ARN: `arn:aws:es:us-east-1:${ACCOUNT}:domain/legacy-logs` }).resolves({ TagList: [] });
    expect(await collectAll(openSearchDomainAuditor.list(makeListContext()))).toEqual([
      { id: DOMAIN, name: DOMAIN, tags: { team: 'orders' } },
      { id: 'legacy-logs', name: 'legacy-logs', tags: {} },
    ]);
  });

  it.each<[string, Partial<DomainStatus>, string[]]>([
    ['compliant: account-only policy, encrypted, HTTPS enforced', {}, []],
    ['no access policy at all', { AccessPolicies: '' }, []],
    ['open policy limited to office IP ranges (a restricting condition)', { AccessPolicies: policy(OFFICE_IPS) }, []],
    ['open policy', { AccessPolicies: policy(ACCOUNT_ACCESS, OPEN) }, ['opensearch_domain.public_access_policy']],
    ['open policy whose IP condition is 0.0.0.0/0', { AccessPolicies: policy(ANY_IP) }, ['opensearch_domain.public_access_policy']],
    ['encryption at rest off', { EncryptionAtRestOptions: { Enabled: false } }, ['opensearch_domain.encryption_at_rest_off']],
    ['node-to-node encryption off', { NodeToNodeEncryptionOptions: { Enabled: false } }, ['opensearch_domain.node_to_node_encryption_off']],
    ['HTTPS not enforced', { DomainEndpointOptions: { EnforceHTTPS: false, TLSSecurityPolicy: 'Policy-Min-TLS-1-0-2019-07' } }, ['opensearch_domain.https_not_enforced']],
    ['DomainEndpointOptions absent', { DomainEndpointOptions: undefined }, ['opensearch_domain.https_not_enforced']],
  ])('%s', async (_case, overrides, failed) => {
    givenDomain(overrides);
    expect((await failedChecks()).map((f) => f.check.id)).toEqual(failed);
  });

  describe('remediation', () => {
    it('public_access_policy removes only the public statement, and a second run makes no call', async () => {
      const stored = givenDomain({ AccessPolicies: policy(ACCOUNT_ACCESS, OPEN, OFFICE_IPS) });
      const [finding] = await failedChecks();
      expect(finding?.risk).toBe('disruptive');
      expect(await finding?.remediate?.()).toBe('applied');
      expect(JSON.parse(stored.status.AccessPolicies ?? '{}')).toEqual({ Version: '2012-10-17', Statement: [ACCOUNT_ACCESS, OFFICE_IPS] });
      expect(await finding?.remediate?.()).toBe('already_compliant');
      expect(openSearch.commandCalls(UpdateDomainConfigCommand)).toHaveLength(1);
    });

    it('public_access_policy is notify-only when the public statement is all there is', async () => {
      givenDomain({ AccessPolicies: policy(OPEN) });
      expect((await failedChecks()).map((f) => [f.check.id, f.remediate])).toEqual([['opensearch_domain.public_access_policy', undefined]]);
    });

    it('https_not_enforced sets EnforceHTTPS and keeps the TLS policy; a second run makes no call', async () => {
      const stored = givenDomain({ DomainEndpointOptions: { EnforceHTTPS: false, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07', CustomEndpointEnabled: false } });
      const [finding] = await failedChecks();
      expect(await finding?.remediate?.()).toBe('applied');
      expect(openSearch.commandCalls(UpdateDomainConfigCommand).map((c) => c.args[0].input)).toEqual([
        { DomainName: DOMAIN, DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07', CustomEndpointEnabled: false } },
      ]);
      expect(stored.status.DomainEndpointOptions?.EnforceHTTPS).toBe(true);
      expect(await finding?.remediate?.()).toBe('already_compliant');
      expect(openSearch.commandCalls(UpdateDomainConfigCommand)).toHaveLength(1);
    });

    it.each([
      ['encryption_at_rest_off', { EncryptionAtRestOptions: { Enabled: false } }],
      ['node_to_node_encryption_off (turning it on cannot be undone)', { NodeToNodeEncryptionOptions: { Enabled: false } }],
    ])('%s is notify-only', async (_case, overrides) => {
      givenDomain(overrides);
      const failed = await failedChecks();
      expect(failed).toHaveLength(1);
      expect(failed[0]?.remediate).toBeUndefined();
    });

    it('gone when the domain was deleted before the fix', async () => {
      givenDomain({ DomainEndpointOptions: { EnforceHTTPS: false } });
      const [finding] = await failedChecks();
      openSearch.on(DescribeDomainCommand).rejects(awsError('ResourceNotFoundException', 409, `Domain not found: ${DOMAIN}`));
      expect(await finding?.remediate?.()).toBe('gone');
      expect(openSearch.commandCalls(UpdateDomainConfigCommand)).toHaveLength(0);
    });
  });

  it.each([
    ['DescribeDomain answers ResourceNotFoundException (HTTP 409)', () => openSearch.on(DescribeDomainCommand).rejects(awsError('ResourceNotFoundException', 409))],
    ['the domain is being deleted', () => givenDomain({ Deleted: true, Processing: true })],
  ])('gone when %s', async (_case, given) => {
    given();
    expect(await openSearchDomainAuditor.audit(makeResourceContext(DOMAIN), makeCheckContext(DOMAIN))).toBe(GONE);
  });

  it('not ready while the domain is being created', async () => {
    givenDomain({ Created: false, Processing: true, Endpoint: undefined });
    expect(await openSearchDomainAuditor.audit(makeResourceContext(DOMAIN), makeCheckContext(DOMAIN))).toBeInstanceOf(NotReady);
  });

  it('other errors propagate', async () => {
    openSearch.on(DescribeDomainCommand).rejects(awsError('AccessDeniedException', 403));
    await expect(openSearchDomainAuditor.audit(makeResourceContext(DOMAIN), makeCheckContext(DOMAIN))).rejects.toThrow(/AccessDeniedException/);
  });
});
