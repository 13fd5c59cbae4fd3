import {
  DescribeClusterParametersCommand,
  DescribeClustersCommand,
  ModifyClusterCommand,
  RedshiftClient,
  type Cluster,
  type Parameter,
} from '@aws-sdk/client-redshift';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, NotReady, type FailedCheck } from '../../auditors/contract.ts';
import { redshiftAuditor } from '../../auditors/redshift.ts';
import type { ConfigInput } from '../../services/core/config.ts';
import { awsError, collectAll, makeCheckContext, makeConfig, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { FIRST_PAGE_PARAMETERS, LAST_PAGE_PARAMETERS, OWNER_TAGS, TLS_GROUP, redshiftCluster, requireSsl } from '../fixtures/redshift.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const redshift = mockClient(RedshiftClient);
const CLUSTER = 'analytics-warehouse';
const PARAMETERS_MARKER = 'cmVxdWlyZV9zc2wtcGFnZS0y';

type Overrides = Partial<ConfigInput>;

/** The cluster, and its parameter group over two pages with require_ssl (null: absent) on the second. */
function givenCluster(overrides: Partial<Cluster> = {}, requireSslParameter: Parameter | null = requireSsl('true')): void {
  const cluster = redshiftCluster(CLUSTER, overrides);
  redshift.on(DescribeClustersCommand, { ClusterIdentifier: CLUSTER }).resolves({ Clusters: [cluster] });
  for (const group of cluster.ClusterParameterGroups ?? []) {
    redshift
      .on(DescribeClusterParametersCommand, { ParameterGroupName: group.ParameterGroupName, Marker: undefined })
      .resolves({ Parameters: FIRST_PAGE_PARAMETERS, Marker: PARAMETERS_MARKER });
    redshift
      .on(DescribeClusterParametersCommand, { ParameterGroupName: group.ParameterGroupName, Marker: PARAMETERS_MARKER })
      .resolves({ Parameters: [...LAST_PAGE_PARAMETERS, ...(requireSslParameter ? [requireSslParameter] : [])] });
  }
}

async function audit(overrides: Overrides = {}): Promise<FailedCheck[] | typeof GONE | NotReady> {
  const config = makeConfig(overrides);
  return redshiftAuditor.audit(makeResourceContext(CLUSTER, { config }), makeCheckContext(CLUSTER, { config }));
}

async function failedChecks(overrides: Overrides = {}): Promise<FailedCheck[]> {
  return failedChecksOf(await audit(overrides));
}

async function failedIds(overrides: Overrides = {}): Promise<string[]> {
  return (await failedChecks(overrides)).map((f) => f.check.id);
}

describe('redshift auditor', () => {
  beforeEach(() => redshift.reset());

  describe('list', () => {
    it('follows Marker and yields each cluster with its tags', async () => {
      // Prepare
      redshift.on(DescribeClustersCommand, { Marker: undefined }).resolves({
        Clusters: [redshiftCluster(CLUSTER), redshiftCluster('marketing-warehouse', { Tags: [] })],
        Marker: 'bWFya2V0aW5nLXdhcmVob3VzZQ==',
      });
      redshift.on(DescribeClustersCommand, { Marker: 'bWFya2V0aW5nLXdhcmVob3VzZQ==' }).resolves({
        Clusters: [redshiftCluster('misconfiguration-maker-redshift-public', { Tags: [{ Key: 'created-by', Value: 'misconfiguration-maker' }] })],
      });
      // Act
      const listed = await collectAll(redshiftAuditor.list(makeListContext()));
      // Assess
      expect(listed).toEqual([
        { id: CLUSTER, name: CLUSTER, tags: { owner: 'data-platform', 'data-classification': 'internal' } },
        { id: 'marketing-warehouse', name: 'marketing-warehouse', tags: {} },
        { id: 'misconfiguration-maker-redshift-public', name: 'misconfiguration-maker-redshift-public', tags: { 'created-by': 'misconfiguration-maker' } },
      ]);
      expect(redshift.commandCalls(DescribeClustersCommand)).toHaveLength(2);
    });
  });

  describe('collect', () => {
    it('reads every page of the parameter group, all sources', async () => {
      givenCluster();
      expect(await failedIds()).toEqual([]);
      const calls = redshift.commandCalls(DescribeClusterParametersCommand);
      // require_ssl is on the second page only: finding it proves the Marker was followed
      expect(calls).toHaveLength(2);
      expect(calls[0]?.args[0].input).toMatchObject({ ParameterGroupName: TLS_GROUP });
      expect(calls[0]?.args[0].input.Source).toBeUndefined();
    });

    it.each([
      ['ClusterNotFound', () => redshift.on(DescribeClustersCommand).rejects(awsError('ClusterNotFound', 404))],
      ['ClusterNotFoundFault', () => redshift.on(DescribeClustersCommand).rejects(awsError('ClusterNotFoundFault', 404))],
      ['an empty Clusters list', () => redshift.on(DescribeClustersCommand).resolves({ Clusters: [] })],
    ])('a cluster that vanished (%s) is gone: no finding, no error', async (_name, given) => {
      given();
      expect(await audit()).toBe(GONE);
    });

    it.each(['creating', 'modifying', 'resizing', 'rebooting', 'renaming', 'rotating-keys', 'available, prep-for-resize', 'final-snapshot'])(
      'a cluster with status "%s" is not ready: re-queued, not judged',
      async (status) => {
        givenCluster({ ClusterStatus: status, PubliclyAccessible: true, Encrypted: false });
        const result = await audit();
        expect(result).toBeInstanceOf(NotReady);
        expect(result).toMatchObject({ reason: `status ${status}`, delaySeconds: 300 });
        expect(redshift.commandCalls(DescribeClusterParametersCommand)).toHaveLength(0);
      },
    );

    it.each(['paused', 'storage-full', 'incompatible-parameters'])('a cluster with the settled status %s is judged', async (status) => {
      givenCluster({ ClusterStatus: status, Encrypted: false });
      expect(await failedIds()).toEqual(['redshift.unencrypted']);
    });

    it('AccessDenied propagates (it is an error, not a finding)', async () => {
      redshift.on(DescribeClustersCommand).rejects(awsError('AccessDenied', 403));
      await expect(audit()).rejects.toThrow('AccessDenied');
    });
  });

  describe('checks', () => {
    it('a compliant cluster fails no check', async () => {
      givenCluster();
      expect(await failedIds({ requiredTags: ['owner', 'data-classification'] })).toEqual([]);
    });

    it('public: PubliclyAccessible true', async () => {
      givenCluster({ PubliclyAccessible: true, Endpoint: { Address: `${CLUSTER}.c7xkq1ha3d2f.us-east-1.redshift.amazonaws.com`, Port: 5439 } });
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['redshift.public']);
      expect(failed[0]?.violation.detail).toBe(`cluster ${CLUSTER} has PubliclyAccessible true`);
    });

    it('public: a pending change to private is not a finding', async () => {
      givenCluster({ PubliclyAccessible: true, PendingModifiedValues: { PubliclyAccessible: false } });
      expect(await failedIds()).toEqual([]);
    });

    it.each<[string, Partial<Cluster>, string[]]>([
      ['Encrypted false', { Encrypted: false, KmsKeyId: undefined }, ['redshift.unencrypted']],
      ['Encrypted unset', { Encrypted: undefined, KmsKeyId: undefined }, ['redshift.unencrypted']],
      ['a pending migration to KMS is not a finding', { Encrypted: false, KmsKeyId: undefined, PendingModifiedValues: { EncryptionType: 'KMS' } }, []],
    ])('unencrypted: %s', async (_name, overrides, expected) => {
      givenCluster(overrides);
      expect(await failedIds()).toEqual(expected);
    });

    it.each<[string, Partial<Cluster>, Parameter | null, string | undefined]>([
      ['require_ssl true (user)', {}, requireSsl('true'), undefined],
      ['require_ssl TRUE', {}, requireSsl('TRUE'), undefined],
      ['require_ssl false', {}, requireSsl('false'), `parameter group ${TLS_GROUP} (require_ssl = false) does not set require_ssl to true`],
      [
        'the default parameter group',
        { ClusterParameterGroups: [{ ParameterGroupName: 'default.redshift-1.0', ParameterApplyStatus: 'in-sync' }] },
        requireSsl('false', 'engine-default'),
        'parameter group default.redshift-1.0 (require_ssl = false) does not set require_ssl to true',
      ],
      ['require_ssl not returned', {}, null, `parameter group ${TLS_GROUP} (require_ssl not found) does not set require_ssl to true`],
      ['no parameter group', { ClusterParameterGroups: [] }, null, `cluster ${CLUSTER} has no parameter group, so nothing sets require_ssl`],
    ])('tls_not_required: %s', async (_name, overrides, parameter, detail) => {
      givenCluster(overrides, parameter);
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(detail === undefined ? [] : ['redshift.tls_not_required']);
      expect(failed[0]?.violation.detail).toBe(detail);
    });

    it.each<[string, string[], { Key: string; Value: string }[], string[]]>([
      ['no required tags configured checks nothing', [], [], []],
      ['all present', ['owner', 'data-classification'], OWNER_TAGS, []],
      ['one missing', ['owner', 'cost-center'], OWNER_TAGS, ['redshift.missing_required_tags']],
      ['an empty value counts as missing', ['owner'], [{ Key: 'owner', Value: '' }], ['redshift.missing_required_tags']],
      ['no tags at all', ['owner'], [], ['redshift.missing_required_tags']],
    ])('missing_required_tags: %s', async (_name, requiredTags, tags, expected) => {
      givenCluster({ Tags: tags });
      expect(await failedIds({ requiredTags })).toEqual(expected);
    });

    it('every failing check is reported together', async () => {
      givenCluster({ PubliclyAccessible: true, Encrypted: false, Tags: [] }, requireSsl('false'));
      expect(await failedIds({ requiredTags: ['owner'] })).toEqual([
        'redshift.public',
        'redshift.unencrypted',
        'redshift.tls_not_required',
        'redshift.missing_required_tags',
      ]);
    });
  });

  describe('remediations', () => {
    async function failedCheck(checkId: string, overrides: Overrides = {}): Promise<FailedCheck | undefined> {
      return (await failedChecks(overrides)).find((f) => f.check.id === checkId);
    }

    it('public turns PubliclyAccessible off and changes nothing else', async () => {
      givenCluster({ PubliclyAccessible: true, Encrypted: false });
      const failed = await failedCheck('redshift.public');
      expect(await failed?.remediate?.()).toBe('applied');
      expect(redshift.commandCalls(ModifyClusterCommand).map((c) => c.args[0].input)).toEqual([{ ClusterIdentifier: CLUSTER, PubliclyAccessible: false }]);
    });

    it('unencrypted: the encryption migration is disruptive, so it runs only when remediateChecks lists it', async () => {
      givenCluster({ Encrypted: false });
      const failed = await failedCheck('redshift.unencrypted');
      expect(failed?.check.id).toBe('redshift.unencrypted');
      expect(failed?.risk).toBe('disruptive');
    });

    it('unencrypted turns on encryption when encryptRedshiftClusters is on', async () => {
      givenCluster({ Encrypted: false, PubliclyAccessible: true });
      const failed = await failedCheck('redshift.unencrypted', { encryptRedshiftClusters: true });
      expect(await failed?.remediate?.()).toBe('applied');
      expect(redshift.commandCalls(ModifyClusterCommand).map((c) => c.args[0].input)).toEqual([{ ClusterIdentifier: CLUSTER, Encrypted: true }]);
    });

    it.each(['redshift.tls_not_required', 'redshift.missing_required_tags'])('%s is notify-only', async (checkId) => {
      givenCluster({ Tags: [] }, requireSsl('false'));
      const failed = await failedCheck(checkId, { requiredTags: ['owner'], encryptRedshiftClusters: true });
      expect(failed?.check.id).toBe(checkId);
      expect(failed?.remediate).toBeUndefined();
      expect(redshiftAuditor.remediations[checkId]).toBeUndefined();
    });

    it.each<[string, string, Partial<Cluster>]>([
      ['redshift.public', 'made private', { PubliclyAccessible: false }],
      ['redshift.public', 'a change to private pending', { PubliclyAccessible: true, PendingModifiedValues: { PubliclyAccessible: false } }],
      ['redshift.unencrypted', 'encrypted', { Encrypted: true }],
      ['redshift.unencrypted', 'a migration to KMS pending', { Encrypted: false, PendingModifiedValues: { EncryptionType: 'KMS' } }],
    ])('%s (%s since): a second run makes no mutating call', async (checkId, _since, fixed) => {
      // Prepare: the check failed on the first read, the cluster was fixed since
      givenCluster({ PubliclyAccessible: true, Encrypted: false });
      const failed = await failedCheck(checkId, { encryptRedshiftClusters: true });
      expect(failed?.remediate).toBeDefined();
      redshift.reset();
      givenCluster(fixed);
      // Act
      const outcome = await failed?.remediate?.();
      // Assess
      expect(outcome).toBe('already_compliant');
      expect(redshift.commandCalls(ModifyClusterCommand)).toHaveLength(0);
    });

    it.each(['redshift.public', 'redshift.unencrypted'])('%s: a cluster deleted before remediation is gone, with no mutating call', async (checkId) => {
      givenCluster({ PubliclyAccessible: true, Encrypted: false });
      const failed = await failedCheck(checkId, { encryptRedshiftClusters: true });
      redshift.reset();
      redshift.on(DescribeClustersCommand).rejects(awsError('ClusterNotFound', 404));
      expect(await failed?.remediate?.()).toBe('gone');
      expect(redshift.commandCalls(ModifyClusterCommand)).toHaveLength(0);
    });
  });

  describe('metadata', () => {
    it('declares every action it calls, and only those', () => {
      expect(redshiftAuditor.permissions).toEqual({
        list: ['redshift:DescribeClusters'],
        collect: ['redshift:DescribeClusters', 'redshift:DescribeClusterParameters'],
      });
      expect(Object.keys(redshiftAuditor.remediations).sort()).toEqual(['redshift.public', 'redshift.unencrypted']);
      for (const remediation of Object.values(redshiftAuditor.remediations)) {
        expect(remediation.permissions).toEqual(['redshift:DescribeClusters', 'redshift:ModifyCluster']);
      }
    });

    it('creation events wait before the audit; ids come from the request', () => {
      expect(redshiftAuditor.triggers).toEqual([
        {
          eventSource: 'redshift.amazonaws.com',
          eventNames: ['CreateCluster', 'RestoreFromClusterSnapshot'],
          idPath: 'requestParameters.clusterIdentifier',
          delaySeconds: 600,
        },
        { eventSource: 'redshift.amazonaws.com', eventNames: ['ModifyCluster'], idPath: 'requestParameters.clusterIdentifier' },
        { eventSource: 'redshift.amazonaws.com', eventNames: ['ModifyCluster'], idPath: 'requestParameters.newClusterIdentifier', delaySeconds: 300 },
      ]);
    });
  });
});
