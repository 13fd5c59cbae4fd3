/**
 * The plumbing that makes an SDK client answer its commands in-process: the
 * command's input is kept at the start of the middleware stack, and the
 * deserialize step returns the answer instead of sending a request. The
 * SDK's own middleware (serialization, retries) still runs in between.
 */

/** Answers one command of the client: the service's id, the operation (`DescribeTrails`) and its input. */
export type CommandAnswerer = (serviceId: string, operation: string, input: object) => unknown;

interface StackClient {
  config?: { serviceId?: string };
  middlewareStack?: {
    add(
      middleware: (next: (args: { input: object }) => Promise<unknown>, context: { commandName?: string }) => (args: { input: object }) => Promise<unknown>,
      options: { step: 'initialize' | 'deserialize'; name: string; priority?: 'high' | 'low' },
    ): void;
  };
}

/** The client's service id (`EC2`, `Config Service`), if it is an SDK client. */
export function serviceIdOf(client: unknown): string | undefined {
  return (client as StackClient).config?.serviceId;
}

/** From now on every command of the client is answered by `answer` (names its middleware `<name>Input`/`<name>Answer`). */
export function answerCommands(client: unknown, name: string, answer: CommandAnswerer): void {
  const candidate = client as StackClient;
  const serviceId = candidate.config?.serviceId;
  if (!serviceId || !candidate.middlewareStack) return;
  const inputs = new WeakMap<object, object>();
  candidate.middlewareStack.add(
    (next, context) => async (args) => {
      inputs.set(context, args.input);
      return next(args);
    },
    { step: 'initialize', name: `${name}Input`, priority: 'high' },
  );
  candidate.middlewareStack.add(
    (_next, context) => async () => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const output = await answer(serviceId, operation, inputs.get(context) ?? {});
      return { output: { ...(output as object), $metadata: { httpStatusCode: 200, requestId: `${name}-request` } }, response: { statusCode: 200, headers: {} } };
    },
    { step: 'deserialize', name: `${name}Answer`, priority: 'high' },
  );
}
