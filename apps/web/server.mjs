// Production entry point of the storefront, used in place of `next start`.
// Next.js 16 throws inside its proxy adapter for TRACE, because the Fetch
// API's Request rejects it, then returns a bare 500 and logs a stack
// trace. This server rejects TRACE with a 405 and the usual security
// headers before Next.js sees the request, and hands every other request to
// Next.js unchanged. Requests that Node's HTTP parser rejects (an unknown
// method such as TRACK, a malformed request line) get a 400 with the same
// headers instead of Node's bare one.
//
// Usage: node server.mjs [--port 3000] [--hostname 0.0.0.0]
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import next from 'next';

const dir = dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({
  options: {
    port: { type: 'string', short: 'p', default: process.env.PORT || '3000' },
    hostname: {
      type: 'string',
      short: 'H',
      default: process.env.HOSTNAME || '0.0.0.0',
    },
  },
});
const port = Number(options.port);
const hostname = options.hostname;

// TRACE is the only method that Node parses but the Fetch API forbids
// (CONNECT never reaches a request handler), so Next.js cannot route it.
const REJECTED_METHOD = 'TRACE';

const securityHeaders = JSON.parse(
  readFileSync(join(dir, 'src/lib/security/static-headers.json'), 'utf8'),
);

/** Returns the headers of a response that this server sends itself. */
function rejectionHeaders() {
  return [
    ...securityHeaders.map(({ key, value }) => [key, value]),
    ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
    ['Cache-Control', 'no-store'],
    ['Content-Type', 'text/plain; charset=utf-8'],
  ];
}

function rejectMethod(response) {
  for (const [key, value] of rejectionHeaders()) response.setHeader(key, value);
  response.setHeader('Allow', 'GET, HEAD, POST');
  response.statusCode = 405;
  response.end('Method not allowed.');
}

/** Sends a 400 for a request that Node's parser rejected, then closes the socket. */
function rejectUnparsable(error, socket) {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = 'Bad request.';
  const lines = [
    'HTTP/1.1 400 Bad Request',
    ...rejectionHeaders().map(([key, value]) => `${key}: ${value}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

const app = next({ dev: false, dir, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  if (request.method === REJECTED_METHOD) {
    rejectMethod(response);
    return;
  }
  handle(request, response).catch((error) => {
    console.error(
      JSON.stringify({ event: 'request_failed', error: String(error) }),
    );
    if (!response.headersSent) response.statusCode = 500;
    response.end();
  });
});

server.on('clientError', rejectUnparsable);

server.listen(port, hostname, () => {
  console.log(`Storefront listening on http://${hostname}:${port}`);
});

// On SIGTERM, stop accepting connections and exit once open requests
// finish, so a rolling deploy drops no request in flight.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}
