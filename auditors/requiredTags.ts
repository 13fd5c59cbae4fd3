/**
 * The `<type>.missing_required_tags` check: which of config.requiredTags a
 * resource lacks. Every taggable type carries it, low severity, with its own
 * id, title and rationale.
 */
import type { Check } from './contract.ts';
import { OWN_RULE } from '../services/core/frameworks.ts';

/** Pure: the required keys that are absent or empty. */
export function missingRequiredTags(tags: Readonly<Record<string, string>>, required: readonly string[]): string[] {
  return required.filter((key) => !(key in tags) || tags[key] === '');
}

export interface RequiredTagsCheckSpec<State> {
  /** `<type>.missing_required_tags` */
  id: string;
  title: string;
  rationale: string;
  /** The finding's detail; default `missing tags: <keys>`. */
  detail?: (state: State, missing: readonly string[]) => string;
}

/**
 * The check over a state that carries its resource's tags. No FSBP or CIS
 * v3.0.0 control (OWN_RULE.requiredTags): Security Hub's tagging controls belong to its AWS Resource
 * Tagging standard (https://docs.aws.amazon.com/securityhub/latest/userguide/standards-tagging.html).
 */
export function requiredTagsCheck<State extends { tags: Readonly<Record<string, string>> }>(spec: RequiredTagsCheckSpec<State>): Check<State> {
  const { id, title, rationale, detail = (_state, missing) => `missing tags: ${missing.join(', ')}` } = spec;
  return {
    id,
    title,
    severity: 'low',
    rationale,
    controls: OWN_RULE.requiredTags,
    evaluate(state, { config }) {
      const missing = missingRequiredTags(state.tags, config.requiredTags);
      return missing.length === 0 ? undefined : { detail: detail(state, missing) };
    },
  };
}
