/**
 * What a moto-backed test needs: the server's URL (from the global setup in
 * ./motoServer.ts), a reset, and environment for the SDK's standard
 * `AWS_ENDPOINT_URL`. Files run in parallel against one server, so a file
 * that resets must own the server for that moment; prefer account ids of
 * the file's own (moto keeps every account apart).
 */
import { inject } from 'vitest';

/** The moto server's URL; throws the one-line install hint when moto could not start. */
export function motoEndpoint(): string {
  const unavailable = inject('motoUnavailable');
  if (unavailable) throw new Error(unavailable);
  return inject('motoEndpoint');
}

/** `POST /moto-api/reset`: forget every resource of every account. */
export async function resetMoto(endpoint = motoEndpoint()): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset answered ${response.status}`);
}

/** Environment that points the SDK at moto with moto's fixed test credentials. */
export function motoEnvironment(endpoint = motoEndpoint()): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
  };
}
