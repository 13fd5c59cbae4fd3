import type { Config } from '../../services/core/config.ts';
import { MAKER_TAGS } from '../makerContract.ts';

/**
 * The required tags that the maker's own tags do not carry: a resource
 * tagged with MAKER_TAGS only fails `<type>.missing_required_tags` exactly
 * when this is not empty.
 */
export function requiredTagsMissingFromMaker(config: Config): string[] {
  return config.requiredTags.filter((key) => !MAKER_TAGS.some((tag) => tag.Key === key));
}
