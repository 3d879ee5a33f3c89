import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authenticate } from '../auth/authenticator';
import { CairnError } from '../core/errors';
import { HANDLED, type Route } from '../server/router';
import { checkToken } from '../server/security';

export interface DashboardOptions {
  /** The server's token (undefined: a no-auth test server). */
  token: string | undefined;
  /** Folder of the built dashboard (`dist/webview`); default: next to the CLI bundle. */
  assetsDir?: string;
  /** Team mode: users' personal tokens sign in (checked like API requests) instead of the server's token. */
  authenticate?: Authenticate;
}

/** Strict CSP of the dashboard page: only its own scripts and styles, no inline code, no framing. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'Content-Security-Policy': DASHBOARD_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

const ASSET_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json' };
const ASSET_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9]+)+$/;

const INDEX = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Cairn</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/panel.css">
<script type="module" src="/dashboard/dashboard.js"></script>
</head>
<body class="cairn-dashboard"></body>
</html>`;

const SIGN_IN = (message: string) => `<!DOCTYPE html>
<html lang="en">
<head><meta charset="UTF-8"><title>Cairn — token required</title><link rel="stylesheet" href="/dashboard/panel.css"></head>
<body class="cairn-dashboard">
<main>
<h1>Cairn dashboard</h1>
<p>${message}</p>
<form method="get" action="/">
<label>Token <input name="token" type="password" autocomplete="off" autofocus></label>
<button type="submit">Open</button>
</form>
<p>The token is in <code>.cairn/server.json</code> of the workspace; <b>Cairn: Open Dashboard in Browser</b> in VS Code opens this page signed in.</p>
</main>
</body>
</html>`;

/**
 * The standalone dashboard at `/`: `/?token=…` checks the token once and trades it for an HttpOnly
 * SameSite=Strict `cairn_token` cookie (the API accepts it), then redirects to `/` so the token
 * leaves the address bar. The page and its assets need that cookie; the API stays token-protected.
 */
export function dashboardRoutes(opts: DashboardOptions): Route[] {
  const assetsDir = opts.assetsDir ?? path.join(__dirname, 'webview');
  return [
    {
      method: 'GET',
      path: '/',
      handler: async (ctx) => {
        const res = ctx.res;
        const offered = ctx.query.get('token');
        if (offered !== null) {
          if (!(await accepts(opts, { headers: { authorization: `Bearer ${offered}` } } as IncomingMessage))) return page(res, 401, SIGN_IN('That token is not valid for this server.'));
          res.writeHead(303, {
            ...PAGE_HEADERS,
            Location: '/',
            'Set-Cookie': `cairn_token=${encodeURIComponent(offered)}; HttpOnly; SameSite=Strict; Path=/`,
          });
          res.end();
          return HANDLED;
        }
        if (!(await accepts(opts, ctx.req))) return page(res, 401, SIGN_IN('Enter the server token to open the dashboard.'));
        return page(res, 200, INDEX);
      },
    },
    {
      // Behind the token check of the HTTP layer (the cookie satisfies it).
      method: 'GET',
      path: '/dashboard/:file',
      handler: async (ctx) => {
        const name = ctx.params['file'] ?? '';
        const type = ASSET_TYPES[path.extname(name)];
        if (!ASSET_NAME.test(name) || !type) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `No dashboard asset '${name}'.`);
        let body: Buffer;
        try {
          body = await fs.promises.readFile(path.join(assetsDir, name));
        } catch {
          throw new CairnError('RESOURCE_DOES_NOT_EXIST', `No dashboard asset '${name}' (build the webviews with 'npm run build').`);
        }
        ctx.res.writeHead(200, { ...PAGE_HEADERS, 'Content-Type': type, 'Content-Length': body.length });
        ctx.res.end(body);
        return HANDLED;
      },
    },
  ];
}

/** Whether the request's credentials (header or cookie) would be accepted by the API. */
async function accepts(opts: DashboardOptions, req: IncomingMessage): Promise<boolean> {
  try {
    if (opts.authenticate) await opts.authenticate(req, 'GET', '/');
    else checkToken(req, { token: opts.token, allowedHosts: new Set() });
    return true;
  } catch (err) {
    // Refused credentials show the sign-in form; anything else (the database is down) is an error.
    if (err instanceof CairnError && (err.code === 'UNAUTHENTICATED' || err.code === 'PERMISSION_DENIED')) return false;
    throw err;
  }
}

function page(res: ServerResponse, status: number, body: string): typeof HANDLED {
  res.writeHead(status, { ...PAGE_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
  return HANDLED;
}
