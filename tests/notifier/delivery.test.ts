import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryLog } from '../../services/core/log.ts';
import type { NotifierSettings } from '../../services/notifier/deliverAlerts.ts';
import { NotificationDeliveryError, SecretParameterError } from '../../services/notifier/errors.ts';
import { createNotifierHandler } from '../../services/notifier/notifierHandler.ts';
import { postJson } from '../../services/notifier/postJson.ts';
import { SecretParameters, type SecretSource } from '../../services/notifier/secretParameters.ts';
import { awsError, makeFactory } from '../helpers/context.ts';
import { BUCKET_FINDINGS, CREDENTIAL_EXFILTRATION, SSH_BRUTE_FORCE, guardDutyEvent, snsEvent } from './fixtures.ts';

const WEBHOOK_SECRET = 'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
const ROUTING_KEY = 'e93facc04764012d7bfb002500d5d1a6';
/**
 * Short backoff keeps the suite fast; the production defaults are 5 s and 250 ms. The timeout
 * is generous so that a busy machine never turns a first attempt into a retry; the tests of a
 * hanging server set their own short timeout.
 */
const FAST = { timeoutMs: 2000, maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 } as const;

interface Received {
  path: string;
  contentType: string | undefined;
  body: string;
}

describe('delivery against a local HTTP server', () => {
  let server: Server;
  let base: string;
  const received: Received[] = [];
  const throttledOnce = new Set<string>();

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const path = request.url ?? '/';
        received.push({ path, contentType: request.headers['content-type'], body });
        if (path.startsWith('/hang')) return; // never answers
        if (path.startsWith('/throttled') && !throttledOnce.has(path)) {
          throttledOnce.add(path);
          response.writeHead(429, { 'retry-after': '0', 'content-type': 'text/plain' }).end('rate_limited');
        } else if (path.startsWith('/broken')) {
          response.writeHead(500, { 'content-type': 'text/plain' }).end('internal_error');
        } else if (path.startsWith('/gone')) {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('no_service');
        } else if (path.startsWith('/echo')) {
          response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'invalid event', message: `unknown routing key ${ROUTING_KEY}` }));
        } else if (path.startsWith('/pagerduty')) {
          response.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: JSON.parse(body).dedup_key }));
        } else {
          response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    received.length = 0;
  });

  describe('postJson', () => {
    it('200: delivered on the first attempt, as JSON', async () => {
      const result = await postJson(`${base}/ok/${WEBHOOK_SECRET}`, { text: 'hello' }, FAST);
      expect(result).toEqual({ ok: true, status: 200, attempts: 1 });
      expect(received).toEqual([{ path: `/ok/${WEBHOOK_SECRET}`, contentType: 'application/json', body: '{"text":"hello"}' }]);
    });

    it('429: retried (Retry-After honoured), then delivered', async () => {
      const result = await postJson(`${base}/throttled/a`, { text: 'hello' }, FAST);
      expect(result).toEqual({ ok: true, status: 200, attempts: 2 });
      expect(received).toHaveLength(2);
    });

    it('500: retried with backoff, then reported as a failure with the status', async () => {
      const result = await postJson(`${base}/broken/${WEBHOOK_SECRET}`, { text: 'hello' }, FAST);
      expect(result).toEqual({ ok: false, attempts: 3, status: 500, error: 'HTTP 500: internal_error' });
      expect(received).toHaveLength(3);
    });

    it('hanging server: every attempt times out, and the whole call stays bounded', async () => {
      const started = Date.now();
      const result = await postJson(`${base}/hang/${WEBHOOK_SECRET}`, { text: 'hello' }, { ...FAST, timeoutMs: 50, maxAttempts: 2 });
      const elapsed = Date.now() - started;
      expect(result).toEqual({ ok: false, attempts: 2, error: 'timed out after 50 ms' });
      expect(elapsed).toBeGreaterThanOrEqual(100);
      expect(elapsed).toBeLessThan(1000);
      expect(received).toHaveLength(2);
    });

    it('404: not retried (the webhook is gone)', async () => {
      const result = await postJson(`${base}/gone/x`, {}, FAST);
      expect(result).toEqual({ ok: false, attempts: 1, status: 404, error: 'HTTP 404: no_service' });
      expect(received).toHaveLength(1);
    });

    it('connection refused: retried, reported without the URL', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const result = await postJson(`http://127.0.0.1:${port}/services/${WEBHOOK_SECRET}`, {}, FAST);
      expect(result).toEqual({ ok: false, attempts: 3, error: 'network error (ECONNREFUSED)' });
    });

    it('redacts secrets a server echoes back', async () => {
      const result = await postJson(`${base}/echo`, {}, { ...FAST, redact: [ROUTING_KEY] });
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain(ROUTING_KEY);
      expect(!result.ok && result.error).toBe('HTTP 400: {"status":"invalid event","message":"unknown routing key [redacted]"}');
    });
  });

  describe('notifier handler', () => {
    const secretsFor = (urls: { slack: string }): SecretSource & { reads: string[] } => {
      const reads: string[] = [];
      return {
        reads,
        get: async (name: string) => {
          reads.push(name);
          if (name === '/compliance/slack-webhook') return urls.slack;
          if (name === '/compliance/pagerduty-routing-key') return ROUTING_KEY;
          throw new Error(`unexpected parameter ${name}`);
        },
      };
    };
    const settings = (overrides: Partial<NotifierSettings> = {}): NotifierSettings => ({
      slackWebhookParameter: '/compliance/slack-webhook',
      pagerDutyRoutingKeyParameter: '/compliance/pagerduty-routing-key',
      slackMinSeverity: 'low',
      pagerDutyMinSeverity: 'high',
      pagerDutyEventsUrl: `${base}/pagerduty/v2/enqueue`,
      notifierTimeoutMs: FAST.timeoutMs,
      notifierMaxAttempts: FAST.maxAttempts,
      ...overrides,
    });
    const retry = { baseDelayMs: FAST.baseDelayMs, maxDelayMs: FAST.maxDelayMs };

    it('routes a high GuardDuty finding to Slack and PagerDuty', async () => {
      const log = memoryLog();
      const notify = createNotifierHandler({ settings: settings(), secrets: secretsFor({ slack: `${base}/ok/${WEBHOOK_SECRET}` }), log, retry });
      const result = await notify(guardDutyEvent(CREDENTIAL_EXFILTRATION));
      expect(result).toEqual({
        alerts: 1,
        ignored: 0,
        delivered: expect.arrayContaining([
          { destination: 'slack', alert: 'GuardDuty finding 2ac4f1e6d9b8c7a6f5e4d3c2b1a09876', attempts: 1 },
          { destination: 'pagerduty', alert: 'GuardDuty finding 2ac4f1e6d9b8c7a6f5e4d3c2b1a09876 dedup 2ac4f1e6d9b8c7a6f5e4d3c2b1a09876', attempts: 1 },
        ]),
      });
      expect(received.map((r) => r.path).sort()).toEqual([`/ok/${WEBHOOK_SECRET}`, '/pagerduty/v2/enqueue']);
      const pagerDuty = JSON.parse(received.find((r) => r.path.startsWith('/pagerduty'))?.body ?? '{}');
      expect(pagerDuty).toMatchObject({ routing_key: ROUTING_KEY, event_action: 'trigger', dedup_key: '2ac4f1e6d9b8c7a6f5e4d3c2b1a09876' });
      expect(JSON.stringify(log.lines)).not.toContain(WEBHOOK_SECRET);
      expect(JSON.stringify(log.lines)).not.toContain(ROUTING_KEY);
    });

    it('a low GuardDuty finding goes to Slack only, without reading the routing key', async () => {
      const secrets = secretsFor({ slack: `${base}/ok/${WEBHOOK_SECRET}` });
      const notify = createNotifierHandler({ settings: settings(), secrets, log: memoryLog(), retry });
      await notify(guardDutyEvent(SSH_BRUTE_FORCE));
      expect(received.map((r) => r.path)).toEqual([`/ok/${WEBHOOK_SECRET}`]);
      expect(secrets.reads).toEqual(['/compliance/slack-webhook']);
    });

    it("this service's findings from SNS: Slack, and PagerDuty for the critical one", async () => {
      const notify = createNotifierHandler({ settings: settings(), secrets: secretsFor({ slack: `${base}/ok/${WEBHOOK_SECRET}` }), log: memoryLog(), retry });
      const result = await notify(snsEvent(BUCKET_FINDINGS));
      expect(result.delivered.map((d) => d.destination).sort()).toEqual(['pagerduty', 'slack']);
      expect(JSON.parse(received.find((r) => r.path.startsWith('/pagerduty'))?.body ?? '{}').dedup_key).toBe('5d41402abc4b2a76b9719d911017c592');
    });

    it('fails the invocation when a destination still fails, naming it but not its URL; the other destination is still delivered', async () => {
      const log = memoryLog();
      const notify = createNotifierHandler({ settings: settings(), secrets: secretsFor({ slack: `${base}/broken/${WEBHOOK_SECRET}` }), log, retry });
      const failure = await notify(guardDutyEvent(CREDENTIAL_EXFILTRATION)).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(NotificationDeliveryError);
      expect((failure as NotificationDeliveryError).failures).toEqual(['slack (GuardDuty finding 2ac4f1e6d9b8c7a6f5e4d3c2b1a09876): HTTP 500: internal_error after 3 attempt(s)']);
      expect(received.filter((r) => r.path.startsWith('/pagerduty'))).toHaveLength(1);
      expect(JSON.stringify(log.lines)).not.toContain(WEBHOOK_SECRET);
      expect(String(failure)).not.toContain(WEBHOOK_SECRET);
    });

    it('fails (bounded) when Slack hangs', async () => {
      const notify = createNotifierHandler({
        settings: settings({ pagerDutyRoutingKeyParameter: undefined, notifierTimeoutMs: 50, notifierMaxAttempts: 2 }),
        secrets: secretsFor({ slack: `${base}/hang/${WEBHOOK_SECRET}` }),
        log: memoryLog(),
        retry,
      });
      await expect(notify(guardDutyEvent(SSH_BRUTE_FORCE))).rejects.toThrow('slack (GuardDuty finding 16afba5c5c43e07c9e3e5e2e544e95df): timed out after 50 ms after 2 attempt(s)');
    });

    it('logs and skips events it does not handle, and succeeds', async () => {
      const log = memoryLog();
      const notify = createNotifierHandler({ settings: settings(), secrets: secretsFor({ slack: `${base}/ok/x` }), log, retry });
      expect(await notify(snsEvent('not json'))).toEqual({ alerts: 0, ignored: 1, delivered: [] });
      expect(log.lines).toEqual([{ level: 'warn', message: 'event not notified', fields: { id: '95df01b4-ee98-5cb9-9903-4c221d41eb5e', reason: 'SNS message is not JSON' } }]);
      expect(received).toEqual([]);
    });
  });
});

describe('secrets from SSM', () => {
  const ssm = mockClient(SSMClient);
  beforeEach(() => ssm.reset());
  const parameter = (value: string) => ({
    Parameter: { Name: '/compliance/slack-webhook', Type: 'SecureString' as const, Value: value, Version: 3, ARN: 'arn:aws:ssm:us-east-1:999999999999:parameter/compliance/slack-webhook', DataType: 'text' },
  });

  it('reads each parameter once per container, decrypted', async () => {
    ssm.on(GetParameterCommand).resolves(parameter(`https://hooks.slack.com/services/${WEBHOOK_SECRET}`));
    const secrets = new SecretParameters(makeFactory().forSecurityAccount('us-east-1'));
    const values = await Promise.all([secrets.get('/compliance/slack-webhook'), secrets.get('/compliance/slack-webhook')]);
    expect(await secrets.get('/compliance/slack-webhook')).toBe(values[0]);
    expect(ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input)).toEqual([{ Name: '/compliance/slack-webhook', WithDecryption: true }]);
  });

  it('does not cache a failed read, and never shows a value', async () => {
    ssm.on(GetParameterCommand).rejectsOnce(awsError('ParameterNotFound', 400)).resolves(parameter('value-1'));
    const secrets = new SecretParameters(makeFactory().forSecurityAccount('us-east-1'));
    await expect(secrets.get('/compliance/slack-webhook')).rejects.toThrow(SecretParameterError);
    expect(await secrets.get('/compliance/slack-webhook')).toBe('value-1');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });
});
