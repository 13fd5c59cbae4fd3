/**
 * OpenSearch Service domains: what the opensearch_domain auditor reads and
 * remediates, and what the misconfiguration maker creates and removes. A
 * domain is being created (Created false, Processing true) in CreateDomain's
 * answer and active from then on. As in AWS, node-to-node encryption and
 * encryption at rest, once on, cannot be turned off (ValidationException),
 * and ResourceNotFoundException is HTTP 409:
 * https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DescribeDomain.html
 */
import type {
  AddTagsCommandInput,
  CreateDomainCommandInput,
  CreateDomainCommandOutput,
  DeleteDomainCommandInput,
  DeleteDomainCommandOutput,
  DescribeDomainCommandInput,
  DescribeDomainCommandOutput,
  DomainEndpointOptions,
  DomainStatus,
  ListDomainNamesCommandOutput,
  ListTagsCommandInput,
  ListTagsCommandOutput,
  OpenSearchPartitionInstanceType,
  Tag,
  UpdateDomainConfigCommandInput,
  UpdateDomainConfigCommandOutput,
} from '@aws-sdk/client-opensearch';
import { partitionOf } from '../../services/core/regions.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

interface DomainRecord {
  name: string;
  domainId: string;
  engineVersion: string;
  instanceType: OpenSearchPartitionInstanceType;
  instanceCount: number;
  accessPolicies: string;
  encryptionAtRest: boolean;
  nodeToNode: boolean;
  endpointOptions: DomainEndpointOptions;
  tags: Tag[];
}

interface OpenSearchState {
  domains: Record<string, DomainRecord>;
}

/** Domain names: a lower-case letter, then 2 to 27 lower-case letters, digits or hyphens. */
const DOMAIN_NAME = /^[a-z][a-z0-9-]{2,27}$/;
const DEFAULT_ENDPOINT_OPTIONS: DomainEndpointOptions = { EnforceHTTPS: false, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07', CustomEndpointEnabled: false };

function openSearch(context: OperationContext): OpenSearchState {
  return context.regional<OpenSearchState>('opensearch', () => ({ domains: {} }));
}

const validation = (message: string): Error => serviceError('ValidationException', 400, message);

function domainOf(context: OperationContext, name: string | undefined): DomainRecord {
  const domain = name ? openSearch(context).domains[name] : undefined;
  if (!domain) throw serviceError('ResourceNotFoundException', 409, `Domain not found: ${name ?? ''}`);
  return domain;
}

function arnOf(context: OperationContext, name: string): string {
  return `arn:${partitionOf(context.region)}:es:${context.region}:${context.account}:domain/${name}`;
}

function validPolicy(policy: string | undefined): string | undefined {
  if (policy === undefined || policy === '') return policy;
  try {
    JSON.parse(policy);
  } catch {
    throw validation('Access policy is not valid JSON.');
  }
  return policy;
}

function statusOf(context: OperationContext, domain: DomainRecord, creating: boolean): DomainStatus {
  return {
    DomainId: domain.domainId,
    DomainName: domain.name,
    ARN: arnOf(context, domain.name),
    Created: !creating,
    Deleted: false,
    ...(creating ? {} : { Endpoint: `search-${domain.name}-${domain.domainId.slice(-10)}.${context.region}.es.amazonaws.com` }),
    Processing: creating,
    UpgradeProcessing: false,
    EngineVersion: domain.engineVersion,
    ClusterConfig: { InstanceType: domain.instanceType, InstanceCount: domain.instanceCount, DedicatedMasterEnabled: false, ZoneAwarenessEnabled: false },
    EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 10, Iops: 3000, Throughput: 125 },
    AccessPolicies: domain.accessPolicies,
    SnapshotOptions: {},
    EncryptionAtRestOptions: domain.encryptionAtRest ? { Enabled: true, KmsKeyId: `arn:${partitionOf(context.region)}:kms:${context.region}:${context.account}:key/${domain.domainId.slice(-12)}` } : { Enabled: false },
    NodeToNodeEncryptionOptions: { Enabled: domain.nodeToNode },
    DomainEndpointOptions: { ...domain.endpointOptions },
    AdvancedSecurityOptions: { Enabled: false, InternalUserDatabaseEnabled: false, AnonymousAuthEnabled: false },
  };
}

export const openSearchService: SandboxService = {
  serviceId: 'OpenSearch',
  operations: {
    CreateDomain: operation((context, input: CreateDomainCommandInput): Output<CreateDomainCommandOutput> => {
      if (!input.DomainName || !DOMAIN_NAME.test(input.DomainName)) throw validation(`Domain name ${input.DomainName ?? ''} is not valid: 3 to 28 characters, a lower-case letter first, then lower-case letters, digits and hyphens.`);
      const state = openSearch(context);
      if (state.domains[input.DomainName]) throw serviceError('ResourceAlreadyExistsException', 409, `domain ${input.DomainName} already exists`);
      const domain: DomainRecord = {
        name: input.DomainName,
        domainId: `${context.account}/${input.DomainName}`,
        engineVersion: input.EngineVersion ?? 'OpenSearch_2.19',
        instanceType: input.ClusterConfig?.InstanceType ?? 'r6g.large.search',
        instanceCount: input.ClusterConfig?.InstanceCount ?? 1,
        accessPolicies: validPolicy(input.AccessPolicies) ?? '',
        encryptionAtRest: input.EncryptionAtRestOptions?.Enabled === true,
        nodeToNode: input.NodeToNodeEncryptionOptions?.Enabled === true,
        endpointOptions: { ...DEFAULT_ENDPOINT_OPTIONS, ...input.DomainEndpointOptions },
        tags: (input.TagList ?? []).map((tag) => ({ ...tag })),
      };
      state.domains[domain.name] = domain;
      return { DomainStatus: statusOf(context, domain, true) };
    }),
    DescribeDomain: operation((context, input: DescribeDomainCommandInput): Output<DescribeDomainCommandOutput> => ({ DomainStatus: statusOf(context, domainOf(context, input.DomainName), false) })),
    ListDomainNames: operation((context): Output<ListDomainNamesCommandOutput> => ({
      DomainNames: Object.keys(openSearch(context).domains).sort().map((name) => ({ DomainName: name, EngineType: 'OpenSearch' })),
    })),
    /** Only what the request names changes; encryption once on stays on. */
    UpdateDomainConfig: operation((context, input: UpdateDomainConfigCommandInput): Output<UpdateDomainConfigCommandOutput> => {
      const domain = domainOf(context, input.DomainName);
      if (input.NodeToNodeEncryptionOptions?.Enabled === false && domain.nodeToNode) throw validation('Node-to-node encryption cannot be disabled once enabled.');
      if (input.EncryptionAtRestOptions?.Enabled === false && domain.encryptionAtRest) throw validation('Encryption at rest cannot be disabled once enabled.');
      if (input.AccessPolicies !== undefined) domain.accessPolicies = validPolicy(input.AccessPolicies) ?? '';
      if (input.NodeToNodeEncryptionOptions?.Enabled === true) domain.nodeToNode = true;
      if (input.EncryptionAtRestOptions?.Enabled === true) domain.encryptionAtRest = true;
      if (input.DomainEndpointOptions) domain.endpointOptions = { ...domain.endpointOptions, ...input.DomainEndpointOptions };
      const status = statusOf(context, domain, false);
      const active = { CreationDate: new Date(0), UpdateDate: context.now(), UpdateVersion: 2, State: 'Active' as const, PendingDeletion: false };
      return {
        DomainConfig: {
          AccessPolicies: { Options: status.AccessPolicies ?? '', Status: active },
          NodeToNodeEncryptionOptions: { Options: status.NodeToNodeEncryptionOptions ?? {}, Status: active },
          EncryptionAtRestOptions: { Options: status.EncryptionAtRestOptions ?? {}, Status: active },
          DomainEndpointOptions: { Options: status.DomainEndpointOptions ?? {}, Status: active },
        },
      };
    }),
    DeleteDomain: operation((context, input: DeleteDomainCommandInput): Output<DeleteDomainCommandOutput> => {
      const domain = domainOf(context, input.DomainName);
      delete openSearch(context).domains[domain.name];
      return { DomainStatus: { ...statusOf(context, domain, false), Deleted: true, Processing: true } };
    }),
    ListTags: operation((context, input: ListTagsCommandInput): Output<ListTagsCommandOutput> => {
      const name = /^arn:[^:]+:es:[^:]+:(\d{12}):domain\/(.+)$/.exec(input.ARN ?? '');
      if (!name || name[1] !== context.account) throw validation(`Invalid ARN ${input.ARN ?? ''}`);
      return { TagList: domainOf(context, name[2]).tags.map((tag) => ({ ...tag })) };
    }),
    AddTags: operation((context, input: AddTagsCommandInput) => {
      const name = /domain\/(.+)$/.exec(input.ARN ?? '')?.[1];
      const domain = domainOf(context, name);
      for (const tag of input.TagList ?? []) {
        domain.tags = [...domain.tags.filter((t) => t.Key !== tag.Key), { ...tag }];
      }
      return {};
    }),
  },
};
