/**
 * What serverless.yml deploys, read from the CloudFormation template
 * `serverless package` generates (never a copied constant): the poll
 * worker's and remediator's reserved concurrency and SQS batch settings.
 */
export interface EventSourceSettings {
  reservedConcurrency: number;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
}

export interface StackSettings {
  pollWorker: EventSourceSettings;
  remediator: EventSourceSettings;
}

interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

function settingsOf(resources: Record<string, TemplateResource>, functionName: string): EventSourceSettings {
  const fn = resources[`${functionName}LambdaFunction`];
  const reserved = fn?.Properties?.ReservedConcurrentExecutions;
  if (typeof reserved !== 'number') throw new Error(`the packaged template gives ${functionName} no reservedConcurrency (serverless.yml)`);
  const mapping = Object.entries(resources).find(([name, resource]) => resource.Type === 'AWS::Lambda::EventSourceMapping' && name.startsWith(`${functionName}EventSourceMapping`))?.[1];
  const batchSize = mapping?.Properties?.BatchSize;
  if (typeof batchSize !== 'number') throw new Error(`the packaged template gives ${functionName} no SQS event source with a batchSize (serverless.yml)`);
  const window = mapping?.Properties?.MaximumBatchingWindowInSeconds;
  return { reservedConcurrency: reserved, batchSize, maximumBatchingWindowSeconds: typeof window === 'number' ? window : 0 };
}

/** The functions' settings from a packaged template (cloudformation-template-update-stack.json). */
export function stackSettingsOf(template: { Resources: Record<string, TemplateResource> }): StackSettings {
  return { pollWorker: settingsOf(template.Resources, 'PollWorker'), remediator: settingsOf(template.Resources, 'Remediator') };
}
