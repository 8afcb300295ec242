import type { JwtKeys } from '../../shared/jwt.ts';
import type { Logger } from '../../shared/logger.ts';
import type { StorageDeps } from '../objects.ts';
import type { UrlSigner } from '../signed-urls.ts';

/** What the route modules are built from. */
export interface RouteDeps extends StorageDeps {
  jwt: JwtKeys;
  signer: UrlSigner;
  log: Logger;
}
