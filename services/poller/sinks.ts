import type { ClientFactory } from '../core/clientFactory.ts';
import { formatResourceMessage, type ResourceMessage } from '../core/message.ts';
import { sendToQueue } from '../core/queueSender.ts';

/** Where the poller puts resource messages. */
export type ResourceSink = (messages: ResourceMessage[]) => Promise<void>;

/** JSON lines on stdout, nothing else: `poller --stdout | remediator`. */
export function stdoutSink(write: (text: string) => Promise<void> = writeStdout): ResourceSink {
  return async (messages) => {
    if (messages.length > 0) await write(messages.map((m) => `${formatResourceMessage(m)}\n`).join(''));
  };
}

function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** The resource queue, through SendMessageBatch (10 per call, failed entries retried). */
export function sqsSink(factory: ClientFactory, queueUrl: string, region: string): ResourceSink {
  const clients = factory.forSecurityAccount(region);
  return (messages) => sendToQueue(clients, queueUrl, messages.map((m) => ({ body: formatResourceMessage(m) })));
}

/** The region of a queue URL (`https://sqs.eu-west-1.amazonaws.com/...`), if it names one. */
export function regionOfQueueUrl(url: string): string | undefined {
  return /(?:^|\/\/)sqs\.([a-z0-9-]+)\.amazonaws\.com/.exec(url)?.[1];
}
