/**
 * lambda_function: resource policies that let anyone invoke the function,
 * and function URLs without authentication.
 *
 * APIs: ListFunctions, ListAliases, GetPolicy, GetFunctionConfiguration
 * (only to tell a missing policy from a missing function),
 * GetFunctionUrlConfig; remediation: RemovePermission of exactly the public
 * statement ids. A public URL is notify-only: turning on IAM auth would
 * break its callers.
 *
 * Ids: a function is its name (`orders-api`), an alias is the name and the
 * alias (`orders-api:live`), as the poller lists them; an alias has its own
 * resource policy and URL. A CloudTrail id (an ARN, a partial ARN, a name
 * with a Qualifier beside it) is normalised to that form. Versions are not
 * listed (a version's policy is fixed when published); an event naming one
 * (`orders-api:7`) audits it under that id.
 *
 * The statements a function URL with AuthType NONE needs (the console's
 * FunctionURLAllowPublicAccess: lambda:InvokeFunctionUrl when
 * lambda:FunctionUrlAuthType is NONE, and lambda:InvokeFunction when
 * lambda:InvokedViaFunctionUrl is true) are public_url's exposure, never
 * public_policy's: removing them would break the URL that public_url only
 * reports.
 */
import {
  GetFunctionConfigurationCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  RemovePermissionCommand,
  paginateListAliases,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import { hasErrorName } from '../services/core/errors.ts';
import { GONE, defineAuditor, type Gone, type ResourceContext } from './contract.ts';
import { functionRefOf, idOfFunction, lambdaFunctionTriggers, type FunctionRef } from './triggers/lambdaFunction.ts';
import {
  asList,
  describePublicStatements,
  parsePolicyDocument,
  publicStatements,
  type PolicyDocument,
  type PolicyStatement,
} from './policy/index.ts';

export interface FunctionState extends FunctionRef {
  /** undefined: the function has no resource policy. */
  policy?: PolicyDocument;
  /** undefined: the function has no URL. */
  urlAuthType?: string;
  url?: string;
}

// ---------- pure helpers (shared by checks and remediations) ----------

function conditionValue(statement: PolicyStatement, operator: string, key: string): string[] {
  const entries = Object.entries(statement.Condition ?? {}).find(([name]) => name.toLowerCase() === operator)?.[1] ?? {};
  const value = Object.entries(entries).find(([name]) => name.toLowerCase() === key)?.[1];
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => String(v).toLowerCase());
}

/**
 * A statement only a function URL with AuthType NONE uses: principal "*",
 * lambda:InvokeFunctionUrl when lambda:FunctionUrlAuthType is NONE (always
 * the URL's), or lambda:InvokeFunction when lambda:InvokedViaFunctionUrl is
 * true (the URL's unless its AuthType is AWS_IAM, which lets any AWS
 * account in).
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
 */
export function isFunctionUrlStatement(statement: PolicyStatement, urlAuthType: string | undefined): boolean {
  if (statement.Effect !== 'Allow' || statement.NotPrincipal !== undefined || statement.NotAction !== undefined) return false;
  const actions = asList(statement.Action).map((a) => a.toLowerCase());
  if (actions.length !== 1) return false;
  if (actions[0] === 'lambda:invokefunctionurl') {
    const authTypes = conditionValue(statement, 'stringequals', 'lambda:functionurlauthtype');
    return authTypes.length > 0 && authTypes.every((v) => v === 'none');
  }
  if (actions[0] === 'lambda:invokefunction' && urlAuthType !== 'AWS_IAM') {
    const viaUrl = conditionValue(statement, 'bool', 'lambda:invokedviafunctionurl');
    return viaUrl.length > 0 && viaUrl.every((v) => v === 'true');
  }
  return false;
}

/** The public statements public_policy answers for: not those the NONE URL needs. */
function publicPolicyStatements(policy: PolicyDocument | undefined, urlAuthType: string | undefined): PolicyStatement[] {
  return publicStatements(policy).filter((statement) => !isFunctionUrlStatement(statement, urlAuthType));
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
  description: 'Lambda functions and their aliases: resource policies open to everyone, function URLs without authentication',
  permissions: {
    list: ['lambda:ListFunctions', 'lambda:ListAliases'],
    collect: ['lambda:GetPolicy', 'lambda:GetFunctionConfiguration', 'lambda:GetFunctionUrlConfig'],
  },
  triggers: lambdaFunctionTriggers,

  /** Each function, then each of its aliases (`name:alias`): an alias has its own policy and URL. */
  async *list({ clients }) {
    const client = clients.get(LambdaClient);
    for await (const page of paginateListFunctions({ client, pageSize: 50 }, {})) {
      for (const fn of page.Functions ?? []) {
        const functionName = fn.FunctionName;
        if (!functionName) continue;
        yield { id: functionName, name: functionName };
        for await (const aliases of paginateListAliases({ client, pageSize: 50 }, { FunctionName: functionName })) {
          for (const alias of aliases.Aliases ?? []) {
            if (alias.Name) yield { id: idOfFunction({ functionName, qualifier: alias.Name }), name: functionName };
          }
        }
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
      rationale:
        'A statement for principal "*" (or with NotPrincipal) without a condition such as a fixed aws:SourceAccount, aws:SourceArn or aws:PrincipalOrgID lets anyone call the function or alias (ForAllValues: conditions and wildcards limit nothing; the statements an AuthType NONE function URL needs are public_url\'s).',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html
      controls: { fsbp: ['Lambda.1'] },
      evaluate(state) {
        const detail = describePublicStatements(state.policy, (statement) => !isFunctionUrlStatement(statement, state.urlAuthType));
        return detail ? { detail } : undefined;
      },
    },
    {
      id: 'lambda_function.public_url',
      title: 'Function URL requires no authentication',
      severity: 'high',
      rationale: 'A function URL with AuthType NONE (of the function or of one of its aliases) can be called by anyone on the internet who finds it.',
      // No FSBP or CIS v3.0.0 control: Lambda.1 judges the function policy, not URL auth types.
      controls: { none: 'Lambda.1 judges the function policy; an unauthenticated function URL (AuthType NONE) has no control of its own' },
      evaluate(state) {
        if (state.urlAuthType !== 'NONE') return undefined;
        return { detail: state.url ? `function URL ${state.url} has AuthType NONE` : 'the function URL has AuthType NONE' };
      },
    },
  ],

  remediations: {
    'lambda_function.public_policy': {
      description:
        'RemovePermission for exactly the public statements (by statement id); every other permission stays, and so do the statements an AuthType NONE function URL needs.',
      risk: 'safe',
      permissions: ['lambda:GetPolicy', 'lambda:GetFunctionConfiguration', 'lambda:GetFunctionUrlConfig', 'lambda:RemovePermission'],
      async apply(context) {
        const ref = functionRefOf(context.id);
        const policy = await readPolicy(context, ref);
        if (policy === GONE) return 'gone';
        const { authType } = await readUrl(context, ref);
        const sids = publicPolicyStatements(policy, authType).flatMap((s) => (s.Sid ? [s.Sid] : []));
        if (sids.length === 0) return 'already_compliant';
        for (const sid of sids) {
          await lambda(context).send(new RemovePermissionCommand({ ...addressOf(ref), StatementId: sid }));
        }
        return 'applied';
      },
    },
  },
});
