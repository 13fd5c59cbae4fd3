/**
 * CloudTrail calls that trigger an audit of opensearch_domain (SDK-free: the
 * event translator imports these, not the auditor). OpenSearch Service
 * records under es.amazonaws.com, the domain as requestParameters.domainName
 * for the 2021-01-01 API (CreateDomain, UpdateDomainConfig) and for the
 * 2015-01-01 Elasticsearch API that still creates and changes domains
 * (CreateElasticsearchDomain, UpdateElasticsearchDomainConfig):
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-cloudtrailauditing.html
 */
import type { CloudTrailTrigger } from '../contract.ts';

export const openSearchDomainTriggers: readonly CloudTrailTrigger[] = [
  {
    eventSource: 'es.amazonaws.com',
    eventNames: ['CreateDomain', 'UpdateDomainConfig', 'CreateElasticsearchDomain', 'UpdateElasticsearchDomainConfig'],
    idPath: 'requestParameters.domainName',
  },
];
