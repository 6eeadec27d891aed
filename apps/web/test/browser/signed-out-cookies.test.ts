// Cookies sent when the proxy finds a refresh token that the API rejects.
// A plain HTTP server replaces the API and rejects every request with
// 401, so each refresh attempt signs the shopper out.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';

import {
  ensureBuilt,
  freePort,
  startWebServer,
  type WebServer,
} from '../helpers/stack.ts';

let fakeApi: Server;
let web: WebServer;

before(async () => {
  ensureBuilt();
  fakeApi = createServer((_request, response) => {
    response.writeHead(401, { 'content-type': 'application/json' });
    response.end('{"error":{"code":"UNAUTHENTICATED","message":"Revoked"}}');
  });
  const port = await freePort();
  await new Promise<void>((resolve) =>
    fakeApi.listen(port, '127.0.0.1', resolve),
  );
  web = await startWebServer({ apiUrl: `http://127.0.0.1:${port}` });
});

after(async () => {
  await web?.stop();
  fakeApi?.closeAllConnections();
  fakeApi?.close();
});

test('revoked refresh token - every Set-Cookie deletes', async () => {
  // /account redirects to the sign-in page, where Next.js copies the
  // proxy's cookies onto the redirect; /products renders normally.
  for (const path of ['/account', '/products']) {
    const response = await fetch(`${web.url}${path}`, {
      headers: { cookie: '__Host-shop_refresh=revoked-token' },
      redirect: 'manual',
    });
    await response.arrayBuffer();
    const cookies = response.headers.getSetCookie();
    const names = new Set(cookies.map((cookie) => cookie.split('=')[0]));

    assert.ok(names.has('__Host-shop_access'), `${path}: access cookie`);
    assert.ok(names.has('__Host-shop_refresh'), `${path}: refresh cookie`);
    for (const cookie of cookies) {
      assert.match(
        cookie,
        /Expires=Thu, 01 Jan 1970 00:00:00 GMT/,
        `${path}: ${cookie}`,
      );
    }
  }
});
