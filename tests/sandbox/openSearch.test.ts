import {
  AddTagsCommand,
  CreateDomainCommand,
  DeleteDomainCommand,
  DescribeDomainCommand,
  ListDomainNamesCommand,
  ListTagsCommand,
  OpenSearchClient,
  UpdateDomainConfigCommand,
} from '@aws-sdk/client-opensearch';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, REGION } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const ARN = `arn:aws:es:${REGION}:${ACCOUNT}:domain/logs`;
const NOT_FOUND = { name: 'ResourceNotFoundException', status: 409 };

let org: SandboxOrganization;
let openSearch: OpenSearchClient;

beforeEach(() => {
  org = sandboxOrganization();
  openSearch = org.clients().get(OpenSearchClient);
});

describe('OpenSearch Service domains', () => {
  it('CreateDomain answers a domain being created; DescribeDomain then answers it created, with what was asked', async () => {
    const { DomainStatus: creating } = await openSearch.send(
      new CreateDomainCommand({ DomainName: 'logs', ClusterConfig: { InstanceType: 't3.small.search', InstanceCount: 1 }, NodeToNodeEncryptionOptions: { Enabled: true }, TagList: [{ Key: 'team', Value: 'ops' }] }),
    );
    expect(creating).toMatchObject({ DomainName: 'logs', ARN, Created: false, Processing: true });
    const { DomainStatus } = await openSearch.send(new DescribeDomainCommand({ DomainName: 'logs' }));
    expect(DomainStatus).toMatchObject({
      Created: true,
      Processing: false,
      ClusterConfig: { InstanceType: 't3.small.search', InstanceCount: 1 },
      AccessPolicies: '',
      EncryptionAtRestOptions: { Enabled: false },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: false },
    });
    expect((await openSearch.send(new ListTagsCommand({ ARN }))).TagList).toEqual([{ Key: 'team', Value: 'ops' }]);
  });

  it('names: unique per account and region (ResourceAlreadyExistsException), 3 to 28 characters (ValidationException)', async () => {
    await openSearch.send(new CreateDomainCommand({ DomainName: 'logs' }));
    await expectAwsError(openSearch.send(new CreateDomainCommand({ DomainName: 'logs' })), { name: 'ResourceAlreadyExistsException', status: 409 });
    await expectAwsError(openSearch.send(new CreateDomainCommand({ DomainName: 'a-name-that-is-far-too-long-for-it' })), { name: 'ValidationException', status: 400 });
    await org.clients(ACCOUNT, OTHER_REGION).get(OpenSearchClient).send(new CreateDomainCommand({ DomainName: 'logs' }));
    expect((await openSearch.send(new ListDomainNamesCommand({}))).DomainNames).toEqual([{ DomainName: 'logs', EngineType: 'OpenSearch' }]);
  });

  it('UpdateDomainConfig changes only what it names; encryption once on cannot be turned off', async () => {
    await openSearch.send(new CreateDomainCommand({ DomainName: 'logs', DomainEndpointOptions: { EnforceHTTPS: false, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' } }));
    await openSearch.send(new UpdateDomainConfigCommand({ DomainName: 'logs', DomainEndpointOptions: { EnforceHTTPS: true } }));
    await openSearch.send(new UpdateDomainConfigCommand({ DomainName: 'logs', NodeToNodeEncryptionOptions: { Enabled: true }, AccessPolicies: '{"Version":"2012-10-17","Statement":[]}' }));
    const { DomainStatus } = await openSearch.send(new DescribeDomainCommand({ DomainName: 'logs' }));
    expect(DomainStatus).toMatchObject({ DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' }, NodeToNodeEncryptionOptions: { Enabled: true }, AccessPolicies: '{"Version":"2012-10-17","Statement":[]}' });
    await expectAwsError(openSearch.send(new UpdateDomainConfigCommand({ DomainName: 'logs', NodeToNodeEncryptionOptions: { Enabled: false } })), { name: 'ValidationException', status: 400 });
    await expectAwsError(openSearch.send(new UpdateDomainConfigCommand({ DomainName: 'logs', AccessPolicies: '{nope' })), { name: 'ValidationException', status: 400 });
  });

  it('AddTags adds or replaces; an unknown or deleted domain is ResourceNotFoundException (HTTP 409) everywhere', async () => {
    await openSearch.send(new CreateDomainCommand({ DomainName: 'logs', TagList: [{ Key: 'team', Value: 'ops' }] }));
    await openSearch.send(new AddTagsCommand({ ARN, TagList: [{ Key: 'team', Value: 'search' }, { Key: 'env', Value: 'dev' }] }));
    expect((await openSearch.send(new ListTagsCommand({ ARN }))).TagList).toEqual([{ Key: 'team', Value: 'search' }, { Key: 'env', Value: 'dev' }]);
    expect((await openSearch.send(new DeleteDomainCommand({ DomainName: 'logs' }))).DomainStatus).toMatchObject({ Deleted: true });
    for (const call of [
      openSearch.send(new DescribeDomainCommand({ DomainName: 'logs' })),
      openSearch.send(new UpdateDomainConfigCommand({ DomainName: 'logs', DomainEndpointOptions: { EnforceHTTPS: true } })),
      openSearch.send(new DeleteDomainCommand({ DomainName: 'logs' })),
      openSearch.send(new ListTagsCommand({ ARN })),
    ]) {
      await expectAwsError(call, NOT_FOUND);
    }
    expect((await openSearch.send(new ListDomainNamesCommand({}))).DomainNames).toEqual([]);
  });
});
