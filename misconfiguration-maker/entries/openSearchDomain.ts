/**
 * One OpenSearch Service domain, `misconfig-maker-search` (domain names are
 * per account and region and at most 28 characters, so it carries the
 * maker's tag, not its name prefix): empty (no data is ever loaded), one
 * t3.small.search node with 10 GiB of gp3, without encryption at rest or
 * between nodes and without EnforceHTTPS, and an access policy that lets the
 * account's own principals use the domain and lets anyone send HEAD requests
 * (public_access_policy: a HEAD answers whether an index exists, nothing of
 * its documents, and there are none). The account statement stays when the
 * remediation removes the public one.
 *
 * Real AWS: t3.small.search costs about US$0.036/hour plus ~US$0.80/month
 * of gp3 storage in us-east-1 (check the OpenSearch Service pricing page):
 * tear it down when done. Creation takes 15 to 30 minutes: create() returns
 * while the domain is being created, and the remediator re-queues its
 * message (NotReady) until it is. Encryption, node-to-node or at rest,
 * cannot be turned off again (the remediations never turn it on): if
 * someone turned it on, create() refuses to reuse the domain (tear it down
 * first).
 */
import { CreateDomainCommand, DeleteDomainCommand, DescribeDomainCommand, OpenSearchClient, UpdateDomainConfigCommand, type DomainStatus } from '@aws-sdk/client-opensearch';
import { domainArn } from '../../auditors/openSearchDomain.ts';
import { ComplianceError, RESOURCE_GONE_ERRORS } from '../../services/core/errors.ts';
import { partitionOf } from '../../services/core/regions.ts';
import { MAKER_TAGS, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';

export const MAKER_DOMAIN_NAME = 'misconfig-maker-search';
const UNENFORCED_HTTPS = { EnforceHTTPS: false } as const;

export function makerDomainPolicy(account: string, region: string): string {
  const indexes = `${domainArn(account, region, MAKER_DOMAIN_NAME)}/*`;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'MisconfigurationMakerAccount', Effect: 'Allow', Principal: { AWS: `arn:${partitionOf(region)}:iam::${account}:root` }, Action: 'es:ESHttp*', Resource: indexes },
      { Sid: 'MisconfigurationMakerPublicHead', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'es:ESHttpHead', Resource: indexes },
    ],
  });
}

async function findDomain(context: MakerContext): Promise<DomainStatus | undefined> {
  const found = await unlessGone(() => context.clients.get(OpenSearchClient).send(new DescribeDomainCommand({ DomainName: MAKER_DOMAIN_NAME })), RESOURCE_GONE_ERRORS.opensearch_domain, undefined);
  return found?.DomainStatus?.Deleted === true ? undefined : found?.DomainStatus;
}

export const openSearchDomainMaker: MisconfigurationEntry = {
  type: 'opensearch_domain',
  scope: 'regional',
  provokes: () => ['opensearch_domain.encryption_at_rest_off', 'opensearch_domain.https_not_enforced', 'opensearch_domain.node_to_node_encryption_off', 'opensearch_domain.public_access_policy'],
  plan: () => [
    `OpenSearch domain ${MAKER_DOMAIN_NAME}: empty, one t3.small.search node (~US$0.036/hour, 15-30 minutes to create); no encryption at rest or between nodes; HTTP allowed; anyone may send HEAD requests`,
  ],
  async create(context) {
    const client = context.clients.get(OpenSearchClient);
    const policy = makerDomainPolicy(context.account, context.region);
    const existing = await findDomain(context);
    if (existing) {
      const where = { account: context.account, region: context.region, type: 'opensearch_domain', id: MAKER_DOMAIN_NAME };
      if (existing.NodeToNodeEncryptionOptions?.Enabled === true || existing.EncryptionAtRestOptions?.Enabled === true) {
        throw new ComplianceError('the maker\'s domain now encrypts (node-to-node or at rest), which cannot be turned off: run --teardown, then make it again', where);
      }
      // Reused: put the policy and plain HTTP back (a remediation may have fixed them).
      await client.send(new UpdateDomainConfigCommand({ DomainName: MAKER_DOMAIN_NAME, AccessPolicies: policy, DomainEndpointOptions: { ...existing.DomainEndpointOptions, ...UNENFORCED_HTTPS } }));
      return [MAKER_DOMAIN_NAME];
    }
    await client.send(
      new CreateDomainCommand({
        DomainName: MAKER_DOMAIN_NAME,
        ClusterConfig: { InstanceType: 't3.small.search', InstanceCount: 1 },
        EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 10 },
        AccessPolicies: policy,
        EncryptionAtRestOptions: { Enabled: false },
        NodeToNodeEncryptionOptions: { Enabled: false },
        DomainEndpointOptions: UNENFORCED_HTTPS,
        TagList: [...MAKER_TAGS],
      }),
    );
    return [MAKER_DOMAIN_NAME];
  },
  async teardown(context) {
    if (!(await findDomain(context))) return [];
    const deleted = await unlessGone(() => context.clients.get(OpenSearchClient).send(new DeleteDomainCommand({ DomainName: MAKER_DOMAIN_NAME })), RESOURCE_GONE_ERRORS.opensearch_domain, undefined);
    return deleted ? [MAKER_DOMAIN_NAME] : [];
  },
};
