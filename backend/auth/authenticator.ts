import type { IncomingMessage } from 'node:http';
import { CairnError } from '../core/errors';
import { roleAllows, type Actor } from './actor';
import { requiredRole } from './access-policy';
import type { UserStore } from './user-store';

/** Who sent a request, and whether they may do it; throws UNAUTHENTICATED (401) or PERMISSION_DENIED (403). */
export type Authenticate = (req: IncomingMessage, method: string, path: string) => Promise<Actor>;

/**
 * Team-mode authentication against the users table:
 *  - `Authorization: Bearer <personal token>` (MLFLOW_TRACKING_TOKEN);
 *  - `Authorization: Basic user:secret` where the secret is one of the user's tokens or their
 *    password (MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD);
 *  - the dashboard's `cairn_token` cookie.
 */
export function userAuthenticator(users: UserStore): Authenticate {
  return async (req, method, path) => {
    const actor = await identify(req, users);
    const needed = requiredRole(method, path);
    if (!roleAllows(actor.role, needed)) {
      throw new CairnError('PERMISSION_DENIED', `User '${actor.user}' has role '${actor.role}'; ${method} ${path} needs '${needed}'.`);
    }
    return actor;
  };
}

/** `--insecure-no-auth` (loopback only): everyone is an anonymous admin. */
export const noAuthentication: Authenticate = async () => ({ user: 'anonymous', role: 'admin' });

async function identify(req: IncomingMessage, users: UserStore): Promise<Actor> {
  const auth = req.headers.authorization;
  if (auth) {
    const space = auth.indexOf(' ');
    const scheme = (space < 0 ? auth : auth.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : auth.slice(space + 1).trim();
    if (scheme === 'bearer') return (await users.verifyToken(value)) ?? deny('Invalid or revoked token.');
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return deny('Malformed Basic credentials: expected base64 of "user:secret".');
      const user = decoded.slice(0, colon);
      const secret = decoded.slice(colon + 1);
      const byToken = await users.verifyToken(secret);
      if (byToken) return byToken.user === user ? byToken : deny(`That token does not belong to user '${user}'.`);
      return (await users.verifyPassword(user, secret)) ?? deny('Invalid user name, password or token.');
    }
    return deny(`Unsupported Authorization scheme '${scheme}': use Bearer or Basic.`);
  }
  const cookie = req.headers.cookie;
  const m = cookie ? /(?:^|;\s*)cairn_token=([^;]+)/.exec(cookie) : null;
  if (m) return (await users.verifyToken(decodeURIComponent(m[1]!))) ?? deny('Invalid or revoked token.');
  return deny('Missing credentials: send "Authorization: Bearer <personal token>" or Basic auth (user + token or password).');
}

function deny(message: string): never {
  throw new CairnError('UNAUTHENTICATED', message);
}
