/**
 * The IAM roles the committed member stack (member-account/template.json)
 * creates, resolved for one member account as CloudFormation would: the
 * role names and trust policies the service must never change. Read from
 * the template, so a role added or renamed there is covered here.
 */
import { readFileSync } from 'node:fs';

interface TemplateParameter {
  Default?: string;
}

interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

interface MemberTemplate {
  Parameters: Record<string, TemplateParameter>;
  Resources: Record<string, TemplateResource>;
}

/** One role as the stack creates it in a member account. */
export interface MemberStackRole {
  /** The template's logical id (MemberRole, EventForwardingRole, ...). */
  logicalId: string;
  roleName: string;
  path: string;
  /** The trust policy, as the JSON text CreateRole is given. */
  trustPolicy: string;
}

const TEMPLATE_URL = new URL('../../member-account/template.json', import.meta.url);

/**
 * Ref and Fn::Sub (the only intrinsics the roles use) with the stack's
 * parameters and pseudo parameters; anything else fails loudly.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html
 */
function resolve(value: unknown, parameters: Readonly<Record<string, string>>): unknown {
  const lookup = (name: string): string => {
    const found = parameters[name];
    if (found === undefined) throw new Error(`member-account/template.json: no value for \${${name}}`);
    return found;
  };
  if (Array.isArray(value)) return value.map((item) => resolve(item, parameters));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first?.[0] === 'Ref') return lookup(String(first[1]));
  if (entries.length === 1 && first?.[0] === 'Fn::Sub') return String(first[1]).replace(/\$\{([^}]+)\}/g, (_, name: string) => lookup(name));
  if (entries.length === 1 && first?.[0].startsWith('Fn::')) throw new Error(`member-account/template.json: ${first[0]} is not resolved by tests/helpers/memberStackRoles.ts`);
  return Object.fromEntries(entries.map(([key, item]) => [key, resolve(item, parameters)]));
}

/** Every AWS::IAM::Role of the member stack, for a member account of this security account. */
export function memberStackRoles(options: { securityAccount: string; externalId: string; partition?: string }): MemberStackRole[] {
  const template = JSON.parse(readFileSync(TEMPLATE_URL, 'utf8')) as MemberTemplate;
  const defaults = Object.fromEntries(Object.entries(template.Parameters).flatMap(([name, parameter]) => (parameter.Default === undefined ? [] : [[name, parameter.Default]])));
  const parameters = { ...defaults, SecurityAccountId: options.securityAccount, ExternalId: options.externalId, 'AWS::Partition': options.partition ?? 'aws' };
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
    .map(([logicalId, resource]) => {
      const { RoleName, Path, AssumeRolePolicyDocument } = resource.Properties ?? {};
      const roleName = resolve(RoleName, parameters);
      if (typeof roleName !== 'string') throw new Error(`member-account/template.json: role ${logicalId} has no RoleName`);
      const path = resolve(Path, parameters);
      return { logicalId, roleName, path: typeof path === 'string' ? path : '/', trustPolicy: JSON.stringify(resolve(AssumeRolePolicyDocument, parameters)) };
    });
}
