/**
 * Whether a valid message is one this deployment may act on: its region is
 * configured (and so of the home region's partition), and an id that is a
 * URL or an ARN names the message's own account, region and the service's
 * own host. Checked before any AWS call, AssumeRole included: a queue URL on
 * another host would otherwise receive requests signed with the member
 * session's token.
 */
import { ComplianceError } from './errors.ts';
import type { ResourceMessage } from './message.ts';
import { partitionOf } from './regions.ts';
import type { ResourceType } from './resourceTypes.ts';

/** A message outside the configured scope, or whose id points elsewhere: refused, never retried. */
export class OutOfScopeError extends ComplianceError {
  constructor(reason: string, ref: ResourceMessage) {
    super(`message refused: ${reason}`, ref);
    this.name = 'OutOfScopeError';
  }
}

export interface MessageScope {
  regions: readonly string[];
  homeRegion: string;
  /** The configured endpoint of a service (AWS_ENDPOINT_URL[_<SERVICE>]), by the service's env name. */
  endpointOf?: (serviceEnvName: string) => string | undefined;
}

/** The ARN service of each type whose ids may be ARNs. */
const ARN_SERVICE: Readonly<Partial<Record<ResourceType, string>>> = {
  lambda_function: 'lambda',
  elbv2: 'elasticloadbalancing',
  rds: 'rds',
  rds_snapshot: 'rds',
  redshift: 'redshift',
  iam_user: 'iam',
  iam_role: 'iam',
  secret: 'secretsmanager',
  sns_topic: 'sns',
};

/** The DNS suffix of a partition: https://docs.aws.amazon.com/general/latest/gr/rande.html */
function dnsSuffixOf(region: string): string {
  return partitionOf(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/**
 * An SQS queue URL: `https://sqs.<region>.<suffix>/<account>/<name>` or the
 * legacy `https://<region>.queue.<suffix>/...`
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html),
 * or a URL on the configured endpoint's host.
 */
function queueUrlIssue(message: ResourceMessage, url: URL, scope: MessageScope): string | undefined {
  const suffix = dnsSuffixOf(message.region);
  const endpoint = scope.endpointOf?.('SQS');
  const hosts = [`sqs.${message.region}.${suffix}`, `${message.region}.queue.${suffix}`];
  const onAws = url.protocol === 'https:' && hosts.includes(url.host);
  const onEndpoint = endpoint !== undefined && new URL(endpoint).host === url.host;
  if (!onAws && !onEndpoint) return `queue URL host ${url.host} is not ${hosts[0]}${endpoint ? ` nor the configured endpoint ${new URL(endpoint).host}` : ''}`;
  const [account, name, ...rest] = url.pathname.split('/').filter((part) => part.length > 0);
  if (account !== message.account || !name || rest.length > 0 || url.search || url.hash) return `queue URL path ${url.pathname} is not /${message.account}/<queue name>`;
  return undefined;
}

/** arn:partition:service:region:account:resource */
function arnIssue(message: ResourceMessage): string | undefined {
  const [, partition, service, region, account] = message.id.split(':');
  const expectedService = ARN_SERVICE[message.type];
  if (!expectedService) return `type ${message.type} takes no ARN as id`;
  if (partition !== partitionOf(message.region)) return `ARN partition ${partition} is not ${partitionOf(message.region)}`;
  if (service !== expectedService) return `ARN service ${service} is not ${expectedService}`;
  if (region !== '' && region !== message.region) return `ARN region ${region} is not the message's region ${message.region}`;
  if (account !== message.account) return `ARN account ${account} is not the message's account ${message.account}`;
  return undefined;
}

function idIssue(message: ResourceMessage, scope: MessageScope): string | undefined {
  if (message.id.startsWith('arn:')) return arnIssue(message);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(message.id)) return undefined;
  if (message.type !== 'sqs') return `type ${message.type} takes no URL as id`;
  let url: URL;
  try {
    url = new URL(message.id);
  } catch {
    return 'id is not a valid URL';
  }
  return queueUrlIssue(message, url, scope);
}

/** Throws OutOfScopeError when the message may not be acted on here. */
export function assertInScope(message: ResourceMessage, scope: MessageScope): void {
  if (!scope.regions.includes(message.region)) {
    throw new OutOfScopeError(`region ${message.region} is not in the configured regions (${scope.regions.join(', ')}); add it to REGIONS (--regions) if it should be audited`, message);
  }
  if (partitionOf(message.region) !== partitionOf(scope.homeRegion)) {
    throw new OutOfScopeError(`region ${message.region} is in partition ${partitionOf(message.region)}, not this deployment's ${partitionOf(scope.homeRegion)}`, message);
  }
  const issue = message.type === 'sqs' && !/^https?:\/\//i.test(message.id) ? 'an sqs id must be the queue URL' : idIssue(message, scope);
  if (issue) throw new OutOfScopeError(`${issue}: ${message.id.slice(0, 200)}`, message);
}
