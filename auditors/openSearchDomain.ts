/**
 * opensearch_domain: OpenSearch Service domains whose access policy lets
 * everyone in, without encryption at rest (FSBP Opensearch.1) or between
 * nodes (Opensearch.3), or that accept plain HTTP (Opensearch.8).
 * https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html
 *
 * Remediations, through UpdateDomainConfig, both disruptive and reversible:
 * - EnforceHTTPS (DomainEndpointOptions, the rest kept): clients that call
 *   over http:// break.
 * - The public statements of the access policy removed, the rest kept:
 *   anonymous clients break, and so do domains whose fine-grained access
 *   control authenticates behind an open policy. When no statement would be
 *   left the finding is notify-only (this service writes no empty policy).
 * Notify-only:
 * - Node-to-node encryption: UpdateDomainConfig can turn it on for an
 *   existing domain, but as a blue/green deployment of hours that can never
 *   be undone (AWSSupportRemediator-EnableOpenSearchNodeToNodeEncryption,
 *   https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/automation-awssupportremediator-enableopensearchnodetonodeencryption.html):
 *   a remediation must be reversible.
 * - Encryption at rest: irreversible too, and AWS's pages disagree on
 *   whether an existing domain can turn it on (CloudFormation: an update;
 *   the CDK: at creation only).
 *
 * APIs: ListDomainNames (list: one answer, no pagination), DescribeDomain,
 * ListTags (collect). CloudTrail: CreateDomain, UpdateDomainConfig and their
 * Elasticsearch-API twins, requestParameters.domainName.
 */
import {
  DescribeDomainCommand,
  ListDomainNamesCommand,
  ListTagsCommand,
  OpenSearchClient,
  UpdateDomainConfigCommand,
  type DomainEndpointOptions,
  type UpdateDomainConfigRequest,
} from '@aws-sdk/client-opensearch';
import { ComplianceError, RESOURCE_GONE_ERRORS, hasErrorName } from '../services/core/errors.ts';
import { partitionOf } from '../services/core/regions.ts';
import { GONE, NotReady, defineAuditor, tagsToRecord, type Gone, type ResourceContext } from './contract.ts';
import { isPublicStatement, parsePolicyDocument, publicPolicyViolation, publicStatements, serialisePolicyDocument, withoutStatements, type PolicyDocument } from './policy/index.ts';
import { openSearchDomainTriggers } from './triggers/openSearchDomain.ts';

export interface DomainState {
  domainName: string;
  arn: string;
  /** undefined: no access policy (only identity-based policies let anyone in). */
  policy?: PolicyDocument;
  encryptionAtRest: boolean;
  nodeToNodeEncryption: boolean;
  endpointOptions: DomainEndpointOptions;
  tags: Readonly<Record<string, string>>;
}

// ---------- pure ----------

/** arn:<partition>:es:<region>:<account>:domain/<name> */
export function domainArn(account: string, region: string, name: string): string {
  return `arn:${partitionOf(region)}:es:${region}:${account}:domain/${name}`;
}

/** The access policy without its public statements, or undefined when none would be left. */
export function withoutPublicStatements(policy: PolicyDocument): PolicyDocument | undefined {
  const narrowed = withoutStatements(policy, isPublicStatement);
  return narrowed.Statement.length > 0 ? narrowed : undefined;
}

// ---------- reads ----------

function openSearch(context: ResourceContext): OpenSearchClient {
  return context.clients.get(OpenSearchClient);
}

async function readDomain(context: ResourceContext): Promise<DomainState | Gone | NotReady> {
  try {
    const { DomainStatus: status } = await openSearch(context).send(new DescribeDomainCommand({ DomainName: context.id }));
    if (!status?.ARN || status.Deleted === true) return GONE;
    // Created: false while the domain is still being created.
    if (status.Created === false) return new NotReady(`domain ${context.id} is still being created`, 600);
    const { TagList } = await openSearch(context).send(new ListTagsCommand({ ARN: status.ARN }));
    return {
      domainName: context.id,
      arn: status.ARN,
      ...(status.AccessPolicies ? { policy: parsePolicyDocument(status.AccessPolicies) } : {}),
      encryptionAtRest: status.EncryptionAtRestOptions?.Enabled === true,
      nodeToNodeEncryption: status.NodeToNodeEncryptionOptions?.Enabled === true,
      endpointOptions: status.DomainEndpointOptions ?? {},
      tags: tagsToRecord(TagList),
    };
  } catch (error) {
    if (hasErrorName(error, ...RESOURCE_GONE_ERRORS.opensearch_domain)) return GONE;
    throw error;
  }
}

/** Re-read for a remediation: the domain now, or why nothing is to be done. */
async function currentDomain(context: ResourceContext): Promise<DomainState | 'gone'> {
  const domain = await readDomain(context);
  if (domain === GONE) return 'gone';
  if (domain instanceof NotReady) throw new ComplianceError(`${domain.reason}: try again when it is active`, { account: context.account, region: context.region, type: 'opensearch_domain', id: context.id });
  return domain;
}

async function updateDomain(context: ResourceContext, change: Omit<UpdateDomainConfigRequest, 'DomainName'>): Promise<void> {
  await openSearch(context).send(new UpdateDomainConfigCommand({ DomainName: context.id, ...change }));
}

// ---------- the auditor ----------

const UPDATE_PERMISSIONS = ['es:DescribeDomain', 'es:ListTags', 'es:UpdateDomainConfig'] as const;

export const openSearchDomainAuditor = defineAuditor<DomainState>({
  type: 'opensearch_domain',
  scope: 'regional',
  description: 'OpenSearch Service domains: public access policies, encryption at rest and between nodes, HTTPS enforcement',
  permissions: {
    list: ['es:ListDomainNames', 'es:ListTags'],
    collect: ['es:DescribeDomain', 'es:ListTags'],
  },
  triggers: openSearchDomainTriggers,

  async *list({ account, region, clients }) {
    const client = clients.get(OpenSearchClient);
    // One answer with every domain: https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_ListDomainNames.html
    const { DomainNames } = await client.send(new ListDomainNamesCommand({}));
    for (const { DomainName } of DomainNames ?? []) {
      if (!DomainName) continue;
      // The tags tell the maker's domain apart (its name cannot carry the maker's prefix: at most 28 characters).
      const { TagList } = await client.send(new ListTagsCommand({ ARN: domainArn(account, region, DomainName) }));
      yield { id: DomainName, name: DomainName, tags: tagsToRecord(TagList) };
    }
  },

  collect: readDomain,

  identity: (state) => ({ tags: state.tags }),

  checks: [
    {
      id: 'opensearch_domain.public_access_policy',
      title: 'OpenSearch domain access policy allows access to everyone',
      severity: 'critical',
      rationale:
        'An Allow to principal "*" without a condition limiting it to fixed accounts, an organization, a VPC endpoint or IP ranges lets anyone who reaches the endpoint read, write and delete its indexes, unless fine-grained access control authenticates every request.',
      controls: { none: "Security Hub judges a domain's exposure by its VPC placement (Opensearch.2), not by its access policy; CIS v3.0.0 has no OpenSearch recommendation" },
      evaluate: (state) => publicPolicyViolation(state.policy),
    },
    {
      id: 'opensearch_domain.encryption_at_rest_off',
      title: 'OpenSearch domain does not encrypt data at rest',
      severity: 'medium',
      rationale: 'Indexes, logs, swap files and automated snapshots are stored unencrypted.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html#opensearch-1
      controls: { fsbp: ['Opensearch.1'] },
      evaluate: (state) => (state.encryptionAtRest ? undefined : { detail: 'EncryptionAtRestOptions.Enabled is false' }),
    },
    {
      id: 'opensearch_domain.node_to_node_encryption_off',
      title: 'OpenSearch domain does not encrypt traffic between nodes',
      severity: 'medium',
      rationale: 'Without node-to-node encryption, data moves between the nodes of the cluster in plain text inside the VPC or the service network.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html#opensearch-3
      controls: { fsbp: ['Opensearch.3'] },
      evaluate: (state) => (state.nodeToNodeEncryption ? undefined : { detail: 'NodeToNodeEncryptionOptions.Enabled is false' }),
    },
    {
      id: 'opensearch_domain.https_not_enforced',
      title: 'OpenSearch domain accepts plain HTTP',
      severity: 'high',
      rationale: 'Without EnforceHTTPS, clients can send queries, documents and credentials to the endpoint unencrypted.',
      // Opensearch.8 fails when EnforceHTTPS is false (and also on an older TLS policy, which this check does not judge):
      // https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html#opensearch-8
      controls: { fsbp: ['Opensearch.8'] },
      evaluate: (state) => (state.endpointOptions.EnforceHTTPS === true ? undefined : { detail: `DomainEndpointOptions.EnforceHTTPS is false (TLSSecurityPolicy ${state.endpointOptions.TLSSecurityPolicy ?? 'unset'})` }),
    },
  ],

  remediations: {
    'opensearch_domain.public_access_policy': {
      description: 'Remove only the public statements of the access policy (anonymous clients, and fine-grained access control behind an open policy, lose access); notify-only when no statement would be left.',
      risk: 'disruptive',
      permissions: UPDATE_PERMISSIONS,
      applicable: (state) => state.policy !== undefined && withoutPublicStatements(state.policy) !== undefined,
      async apply(context) {
        const domain = await currentDomain(context);
        if (domain === 'gone') return 'gone';
        if (!domain.policy || publicStatements(domain.policy).length === 0) return 'already_compliant';
        const narrowed = withoutPublicStatements(domain.policy);
        if (!narrowed) throw new ComplianceError(`removing the public statements would leave domain ${context.id} without an access policy: narrow it by hand`, { account: context.account, region: context.region, type: 'opensearch_domain', id: context.id });
        await updateDomain(context, { AccessPolicies: serialisePolicyDocument(narrowed) });
        return 'applied';
      },
    },
    'opensearch_domain.https_not_enforced': {
      description: 'Set EnforceHTTPS, keeping the TLS policy and custom endpoint as they are (clients on http:// break).',
      risk: 'disruptive',
      permissions: UPDATE_PERMISSIONS,
      async apply(context) {
        const domain = await currentDomain(context);
        if (domain === 'gone') return 'gone';
        if (domain.endpointOptions.EnforceHTTPS === true) return 'already_compliant';
        await updateDomain(context, { DomainEndpointOptions: { ...domain.endpointOptions, EnforceHTTPS: true } });
        return 'applied';
      },
    },
  },
});
