/** CloudTrail calls that trigger an audit of lambda_function (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailCallFields, CloudTrailTrigger } from '../contract.ts';

/** A function as the Lambda API addresses it: a name and, for an alias or version, a qualifier. */
export interface FunctionRef {
  functionName: string;
  qualifier?: string;
}

/**
 * A name (`orders-api`), a name with a qualifier (`orders-api:live`), a
 * partial ARN (`111111111111:function:orders-api`) or an ARN, qualified or not.
 */
const FUNCTION_REF = /^(?:(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:)?\d{12}:function:)?([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$/;

/** The function and qualifier an id names; `$LATEST` is the unqualified function. */
export function functionRefOf(id: string): FunctionRef {
  const match = FUNCTION_REF.exec(id);
  const functionName = match?.[1];
  if (!functionName) return { functionName: id };
  const qualifier = match[2];
  return qualifier && qualifier !== '$LATEST' ? { functionName, qualifier } : { functionName };
}

/** The id the poller lists for a function or alias: `name` or `name:qualifier`. */
export function idOfFunction(ref: FunctionRef): string {
  return ref.qualifier ? `${ref.functionName}:${ref.qualifier}` : ref.functionName;
}

/**
 * A function as a CloudTrail event names it (name, ARN or partial ARN in
 * functionName, maybe with a separate qualifier) as the id the poller lists.
 */
export function idOfEventFunction(value: string, detail: CloudTrailCallFields): string {
  const ref = functionRefOf(value);
  const parameters = detail.requestParameters;
  const qualifier = typeof parameters === 'object' && parameters !== null ? (parameters as { qualifier?: unknown }).qualifier : undefined;
  if (typeof qualifier === 'string' && qualifier !== '' && qualifier !== '$LATEST') return idOfFunction({ ...ref, qualifier });
  return idOfFunction(ref);
}

export const lambdaFunctionTriggers: readonly CloudTrailTrigger[] = [
  {
    eventSource: 'lambda.amazonaws.com',
    eventNames: ['AddPermission20150331v2', 'CreateFunction20150331'],
    idPath: 'requestParameters.functionName',
    // functionName may be an ARN; AddPermission's qualifier names the alias whose policy changed.
    transformId: idOfEventFunction,
  },
  {
    // The response's ARN carries the alias a URL was made for (`...:function:api:live`).
    eventSource: 'lambda.amazonaws.com',
    eventNames: ['CreateFunctionUrlConfig20211031', 'UpdateFunctionUrlConfig20211031'],
    idPath: 'responseElements.functionArn',
    transformId: idOfEventFunction,
  },
];
