/**
 * What CloudFormation would create from a template for given parameters:
 * conditions evaluated (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition),
 * resources whose condition is false dropped, Fn::If resolved, AWS::NoValue
 * removed, Ref and Fn::Sub of parameters and pseudo parameters replaced.
 * Only the intrinsics the member template uses; a missing value or an
 * unknown condition function throws, so a test cannot pass on a misread.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Template {
  Parameters: Record<string, { Default?: string }>;
  Conditions: Record<string, Json>;
  Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, Json> }>;
}

const NO_VALUE = Symbol('AWS::NoValue');

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface Place {
  region?: string;
  account?: string;
}

export function resolveTemplate(template: Template, parameters: Record<string, string>, place: Place = {}): Template['Resources'] {
  const values: Record<string, string> = { 'AWS::Region': place.region ?? 'us-east-1', 'AWS::AccountId': place.account ?? '111111111111', 'AWS::Partition': 'aws' };
  for (const [name, parameter] of Object.entries(template.Parameters)) if (parameter.Default !== undefined) values[name] = parameter.Default;
  Object.assign(values, parameters);

  const value = (node: Json): Json => {
    if (isObject(node) && typeof node.Ref === 'string') {
      const found = values[node.Ref];
      if (found === undefined) throw new Error(`no value for ${node.Ref}`);
      return found;
    }
    return node;
  };
  const condition = (node: Json): boolean => {
    if (!isObject(node)) throw new Error(`not a condition: ${JSON.stringify(node)}`);
    const [[name, argument]] = Object.entries(node) as [[string, Json]];
    const list = Array.isArray(argument) ? argument : [];
    switch (name) {
      case 'Condition':
        return named(String(argument));
      case 'Fn::Equals':
        return value(list[0] ?? null) === value(list[1] ?? null);
      case 'Fn::And':
        return list.every(condition);
      case 'Fn::Or':
        return list.some(condition);
      case 'Fn::Not':
        return !condition(list[0] ?? null);
      default:
        throw new Error(`unknown condition function ${name}`);
    }
  };
  const named = (name: string): boolean => {
    const definition = template.Conditions[name];
    if (definition === undefined) throw new Error(`no condition ${name}`);
    return condition(definition);
  };
  const resolve = (node: Json): Json | typeof NO_VALUE => {
    if (Array.isArray(node)) return node.map(resolve).filter((item): item is Json => item !== NO_VALUE);
    if (!isObject(node)) return node;
    if (node.Ref === 'AWS::NoValue') return NO_VALUE;
    if (typeof node.Ref === 'string') return value(node);
    const sub = node['Fn::Sub'];
    if (typeof sub === 'string') {
      return sub.replace(/\$\{([^}]+)\}/g, (_whole, name: string) => {
        const found = values[name];
        if (found === undefined) throw new Error(`no value for \${${name}}`);
        return found;
      });
    }
    const ifArguments = node['Fn::If'];
    if (Array.isArray(ifArguments)) return resolve((named(String(ifArguments[0])) ? ifArguments[1] : ifArguments[2]) ?? null);
    const resolved: { [key: string]: Json } = {};
    for (const [key, child] of Object.entries(node)) {
      const result = resolve(child);
      if (result !== NO_VALUE) resolved[key] = result;
    }
    return resolved;
  };

  const created: Template['Resources'] = {};
  for (const [name, resource] of Object.entries(template.Resources)) {
    if (resource.Condition !== undefined && !named(resource.Condition)) continue;
    created[name] = { ...resource, Properties: resolve(resource.Properties) as Record<string, Json> };
  }
  return created;
}
