/**
 * lambda_function: resource policies that let anyone invoke the function,
 * and function URLs without authentication.
 *
 * APIs: ListFunctions, GetPolicy, GetFunctionConfiguration (only to tell a
 * missing policy from a missing function), GetFunctionUrlConfig;
 * remediation: RemovePermission of exactly the public statement ids. A
 * public URL is notify-only: turning on IAM auth would break its callers.
 */
import {
  GetFunctionConfigurationCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  RemovePermissionCommand,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import { hasErrorName } from '../services/core/errors.ts';
import { GONE, defineAuditor, type Gone, type ResourceContext } from './contract.ts';
import {
  describePublicStatements,
  parsePolicyDocument,
  publicStatements,
  type PolicyDocument,
} from './policy/index.ts';

/** A function as the Lambda API addresses it: a name and, for an alias or version, a qualifier. */
export interface FunctionRef {
  functionName: string;
  qualifier?: string;
}

export interface FunctionState extends FunctionRef {
  /** undefined: the function has no resource policy. */
  policy?: PolicyDocument;
  /** undefined: the function has no URL. */
  urlAuthType?: string;
  url?: string;
}

/**
 * A name (`orders-api`), a name with a qualifier (`orders-api:live`), a
 * partial ARN (`111111111111:function:orders-api`) or an ARN, qualified or not.
 */
const FUNCTION_REF = /^(?:(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:)?\d{12}:function:)?([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$/;

// ---------- pure helpers (shared by checks and remediations) ----------

/** The function and qualifier an id names; `$LATEST` is the unqualified function. */
export function functionRefOf(id: string): FunctionRef {
  const match = FUNCTION_REF.exec(id);
  const functionName = match?.[1];
  if (!functionName) return { functionName: id };
  const qualifier = match[2];
  return qualifier && qualifier !== '$LATEST' ? { functionName, qualifier } : { functionName };
}

function addressOf(ref: FunctionRef): { FunctionName: string; Qualifier?: string } {
  return ref.qualifier ? { FunctionName: ref.functionName, Qualifier: ref.qualifier } : { FunctionName: ref.functionName };
}

// ---------- reads (collect and the read half of remediations) ----------

function lambda(context: ResourceContext): LambdaClient {
  return context.clients.get(LambdaClient);
}

/** Whether the function (or its alias/version) exists; GetPolicy's ResourceNotFoundException does not say. */
async function functionExists(context: ResourceContext, ref: FunctionRef): Promise<boolean> {
  try {
    await lambda(context).send(new GetFunctionConfigurationCommand(addressOf(ref)));
    return true;
  } catch (error) {
    if (hasErrorName(error, 'ResourceNotFoundException')) return false;
    throw error;
  }
}

/** The resource policy, undefined when there is none, GONE when the function is gone. */
async function readPolicy(context: ResourceContext, ref: FunctionRef): Promise<PolicyDocument | undefined | Gone> {
  try {
    const { Policy } = await lambda(context).send(new GetPolicyCommand(addressOf(ref)));
    return Policy ? parsePolicyDocument(Policy) : undefined;
  } catch (error) {
    if (!hasErrorName(error, 'ResourceNotFoundException')) throw error;
    return (await functionExists(context, ref)) ? undefined : GONE;
  }
}

async function readUrl(context: ResourceContext, ref: FunctionRef): Promise<{ authType?: string; url?: string }> {
  try {
    const { AuthType, FunctionUrl } = await lambda(context).send(new GetFunctionUrlConfigCommand(addressOf(ref)));
    return { authType: AuthType, url: FunctionUrl };
  } catch (error) {
    if (hasErrorName(error, 'ResourceNotFoundException')) return {};
    throw error;
  }
}

// ---------- the auditor ----------

export const lambdaFunctionAuditor = defineAuditor<FunctionState>({
  type: 'lambda_function',
  scope: 'regional',
  description: 'Lambda functions: resource policies open to everyone, function URLs without authentication',
  permissions: {
    list: ['lambda:ListFunctions'],
    collect: ['lambda:GetPolicy', 'lambda:GetFunctionConfiguration', 'lambda:GetFunctionUrlConfig'],
  },
  triggers: [
    {
      eventSource: 'lambda.amazonaws.com',
      eventNames: ['AddPermission20150331v2', 'CreateFunction20150331'],
      idPath: 'requestParameters.functionName',
    },
    {
      // The response's ARN carries the alias a URL was made for (`...:function:api:live`).
      eventSource: 'lambda.amazonaws.com',
      eventNames: ['CreateFunctionUrlConfig20211031', 'UpdateFunctionUrlConfig20211031'],
      idPath: 'responseElements.functionArn',
    },
  ],

  async *list({ clients }) {
    const client = clients.get(LambdaClient);
    for await (const page of paginateListFunctions({ client, pageSize: 50 }, {})) {
      for (const fn of page.Functions ?? []) {
        if (fn.FunctionName) yield { id: fn.FunctionName, name: fn.FunctionName };
      }
    }
  },

  async collect(context) {
    const ref = functionRefOf(context.id);
    const policy = await readPolicy(context, ref);
    if (policy === GONE) return GONE;
    const { authType, url } = await readUrl(context, ref);
    return { ...ref, policy, urlAuthType: authType, url };
  },

  checks: [
    {
      id: 'lambda_function.public_policy',
      title: 'Function policy lets anyone invoke or manage the function',
      severity: 'critical',
      rationale: 'A statement for principal "*" without a condition such as aws:SourceAccount, aws:SourceArn or aws:PrincipalOrgID lets anyone call the function.',
      evaluate(state) {
        const detail = describePublicStatements(state.policy);
        return detail ? { detail } : undefined;
      },
    },
    {
      id: 'lambda_function.public_url',
      title: 'Function URL requires no authentication',
      severity: 'high',
      rationale: 'A function URL with AuthType NONE can be called by anyone on the internet who finds it.',
      evaluate(state) {
        if (state.urlAuthType !== 'NONE') return undefined;
        return { detail: state.url ? `function URL ${state.url} has AuthType NONE` : 'the function URL has AuthType NONE' };
      },
    },
  ],

  remediations: {
    'lambda_function.public_policy': {
      description: 'RemovePermission for exactly the public statements (by statement id); every other permission stays.',
      risk: 'safe',
      permissions: ['lambda:GetPolicy', 'lambda:GetFunctionConfiguration', 'lambda:RemovePermission'],
      async apply(context) {
        const ref = functionRefOf(context.id);
        const policy = await readPolicy(context, ref);
        if (policy === GONE) return 'gone';
        const sids = publicStatements(policy).flatMap((s) => (s.Sid ? [s.Sid] : []));
        if (sids.length === 0) return 'already_compliant';
        for (const sid of sids) {
          await lambda(context).send(new RemovePermissionCommand({ ...addressOf(ref), StatementId: sid }));
        }
        return 'applied';
      },
    },
  },
});
