import { describe, expect, it } from 'vitest';
import type { ResourceMessage } from '../../services/core/message.ts';
import { assertInScope, OutOfScopeError } from '../../services/core/messageScope.ts';
import { QUEUE_URL } from '../fixtures/sqsQueue.ts';

const ACCOUNT = '111111111111';
const SCOPE = { regions: ['us-east-1', 'eu-west-1'], homeRegion: 'us-east-1' };
const ON_MOTO = { ...SCOPE, endpointOf: () => 'http://127.0.0.1:5000' };
const message = (type: ResourceMessage['type'], id: string, region = 'us-east-1', account = ACCOUNT): ResourceMessage => ({ account, region, type, id });

describe('message scope', () => {
  it.each([
    ['a bucket in a configured region', message('s3_bucket', 'team-logs')],
    ['the queue URL of the message account and region', message('sqs', QUEUE_URL)],
    ['the legacy queue URL host', message('sqs', 'https://us-east-1.queue.amazonaws.com/111111111111/orders-events')],
    ['a Lambda function ARN of the account and region', message('lambda_function', 'arn:aws:lambda:us-east-1:111111111111:function:orders:live')],
    ['an ELBv2 ARN', message('elbv2', 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/50dc6c495c0c9188', 'eu-west-1')],
  ])('accepts %s', (_name, m) => {
    expect(() => assertInScope(m, SCOPE)).not.toThrow();
  });

  it('accepts a queue URL on the configured endpoint (moto, LocalStack)', () => {
    expect(() => assertInScope(message('sqs', 'http://127.0.0.1:5000/111111111111/orders-events'), ON_MOTO)).not.toThrow();
  });

  it.each([
    ['a region not configured', message('s3_bucket', 'team-logs', 'ap-southeast-2'), /region ap-southeast-2 is not in the configured regions/],
    ['a China region', message('s3_bucket', 'team-logs', 'cn-north-1'), /not in the configured regions/],
    ['a queue URL on another host', message('sqs', 'https://attacker.example/111111111111/orders-events'), /host attacker.example is not sqs.us-east-1.amazonaws.com/],
    ['a queue URL of another region', message('sqs', 'https://sqs.eu-west-1.amazonaws.com/111111111111/orders-events'), /host sqs.eu-west-1.amazonaws.com/],
    ['a queue URL over http', message('sqs', 'http://sqs.us-east-1.amazonaws.com/111111111111/orders-events'), /is not sqs.us-east-1/],
    ['a queue URL of another account', message('sqs', 'https://sqs.us-east-1.amazonaws.com/999999999999/orders-events'), /path \/999999999999\/orders-events/],
    ['a queue URL with a query', message('sqs', 'https://sqs.us-east-1.amazonaws.com/111111111111/orders-events?Action=DeleteQueue'), /path/],
    ['an sqs id that is a name', message('sqs', 'orders-events'), /must be the queue URL/],
    ['a URL for a type that takes none', message('s3_bucket', 'https://attacker.example/b'), /takes no URL/],
    ['an ARN of another account', message('lambda_function', 'arn:aws:lambda:us-east-1:999999999999:function:orders'), /ARN account 999999999999/],
    ['an ARN of another region', message('lambda_function', 'arn:aws:lambda:eu-west-1:111111111111:function:orders'), /ARN region eu-west-1/],
    ['an ARN of another partition', message('lambda_function', 'arn:aws-cn:lambda:us-east-1:111111111111:function:orders'), /ARN partition aws-cn/],
    ['an ARN of another service', message('lambda_function', 'arn:aws:sqs:us-east-1:111111111111:orders'), /ARN service sqs/],
  ])('refuses %s', (_name, m, reason) => {
    expect(() => assertInScope(m, SCOPE)).toThrow(OutOfScopeError);
    expect(() => assertInScope(m, SCOPE)).toThrow(reason);
  });

  it('refuses a region of another partition even when configured', () => {
    expect(() => assertInScope(message('s3_bucket', 'b', 'us-gov-west-1'), { regions: ['us-east-1', 'us-gov-west-1'], homeRegion: 'us-east-1' })).toThrow(/partition aws-us-gov/);
  });
});
