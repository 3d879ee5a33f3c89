// The standalone dashboard's route on a real server: token → HttpOnly cookie, strict CSP, the API
// still token-protected, and asset names validated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { raw, startServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const dir = tmpDir();

test('the dashboard trades ?token= for an HttpOnly SameSite=Strict cookie and serves a strict CSP', async () => {
  const s = await startServerProcess(dir);
  try {
    const noCookie = await raw(s, 'GET', '/', { token: null });
    assert.equal(noCookie.status, 401);
    assert.match(noCookie.text, /Enter the server token/);
    assert.match(String(noCookie.headers['content-security-policy']), /default-src 'none'/);

    const wrong = await raw(s, 'GET', '/?token=nope', { token: null });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers['set-cookie'], undefined);

    const ok = await raw(s, 'GET', `/?token=${encodeURIComponent(s.token)}`, { token: null });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers['location'], '/');
    const cookie = String(ok.headers['set-cookie']);
    assert.match(cookie, /^cairn_token=[^;]+; HttpOnly; SameSite=Strict; Path=\//);
    const jar = cookie.split(';')[0]!;

    const page = await raw(s, 'GET', '/', { token: null, headers: { Cookie: jar } });
    assert.equal(page.status, 200);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.match(page.text, /<script type="module" src="\/dashboard\/dashboard.js"><\/script>/);
    assert.doesNotMatch(page.text, new RegExp(s.token), 'the token is not in the page');

    const asset = await raw(s, 'GET', '/dashboard/dashboard.js', { token: null, headers: { Cookie: jar } });
    assert.equal(asset.status, 200);
    assert.match(String(asset.headers['content-type']), /text\/javascript/);
    assert.equal((await raw(s, 'GET', '/dashboard/dashboard.js', { token: null })).status, 401, 'assets need the cookie too');
    assert.equal((await raw(s, 'GET', '/dashboard/..%2fcli.js', { token: null, headers: { Cookie: jar } })).status, 404);
    assert.equal((await raw(s, 'GET', '/dashboard/cli.exe', { token: null, headers: { Cookie: jar } })).status, 404);

    // The API accepts the cookie but not a missing token; a foreign Origin is still refused.
    assert.equal((await raw(s, 'GET', '/api/cairn/v1/info', { token: null, headers: { Cookie: jar } })).status, 200);
    assert.equal((await raw(s, 'GET', '/api/cairn/v1/info', { token: null })).status, 401);
    assert.equal((await raw(s, 'POST', '/api/2.0/mlflow/experiments/create', { token: null, headers: { Cookie: jar, Origin: 'http://evil.example', 'Content-Type': 'application/json' }, body: '{"name":"x"}' })).status, 403);
  } finally {
    await s.stop();
  }
});
