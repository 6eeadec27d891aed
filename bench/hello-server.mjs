// Bare Fastify "hello world", the ceiling the API scenarios are compared
// with: same framework, same machine, no plugins, no logging, no database.
import Fastify from 'fastify';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('Usage: node bench/hello-server.mjs PORT\n');
  process.exit(2);
}

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));

process.on('SIGTERM', () => {
  app.close().then(() => process.exit(0));
});

await app.listen({ host: '127.0.0.1', port });
process.stdout.write(
  `hello-world server listening on http://127.0.0.1:${port}\n`,
);
