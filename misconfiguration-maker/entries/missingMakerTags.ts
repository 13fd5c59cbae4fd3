import { missingRequiredTags } from '../../auditors/requiredTags.ts';
import type { Config } from '../../services/core/config.ts';
import { MAKER_TAG_RECORD } from '../makerContract.ts';

/**
 * The required tags that the maker's own tags do not carry: a resource
 * tagged with MAKER_TAGS only fails `<type>.missing_required_tags` exactly
 * when this is not empty.
 */
export function requiredTagsMissingFromMaker(config: Config): string[] {
  return missingRequiredTags(MAKER_TAG_RECORD, config.requiredTags);
}
