import { hasErrorName } from '../../services/core/errors.ts';

/**
 * What `call` answers, or `absent` when it fails because the resource is
 * not there (one of `goneErrors`, e.g. DBInstanceNotFound): how the maker
 * finds what it made, and tears down what may already be gone.
 */
export async function unlessGone<T, A>(call: () => Promise<T>, goneErrors: readonly string[], absent: A): Promise<T | A> {
  try {
    return await call();
  } catch (error) {
    if (hasErrorName(error, ...goneErrors)) return absent;
    throw error;
  }
}
