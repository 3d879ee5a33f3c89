import { ServingClient } from '../../backend/client/serving-client';
import type { BackendConnection } from './backend-connection';

/** The typed registry/serving client over the connected backend (connecting first if needed). */
export async function servingClient(backend: BackendConnection): Promise<ServingClient> {
  return new ServingClient(await backend.ready());
}
