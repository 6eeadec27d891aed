// A pass-through HTTP relay between the storefront and the API that adds
// the API's rate-limit bypass header to every request. The storefront has
// no setting to send that header, and without it the scanners' traffic,
// which all comes from 127.0.0.1, would meet 429 responses after 100
// requests a minute instead of reaching the handlers under test. Only the
// scan starts this relay; the rate limits themselves are tested in apps/api.
import http from 'node:http';

/** Starts the relay on 127.0.0.1:`port` and returns its URL and a close function. */
export async function startBypassRelay({ port, targetUrl, headers }) {
  const target = new URL(targetUrl);
  const server = http.createServer((request, response) => {
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, host: target.host, ...headers },
      },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.rawHeaders);
        upstreamResponse.pipe(response);
      },
    );
    upstream.on('error', () => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('The API is unreachable through the scan relay.');
    });
    request.pipe(upstream);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
