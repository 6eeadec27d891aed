import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  isIgnored,
  lintDockerfile,
  parseDockerfile,
} from '../lib/dockerfile.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCKERFILES = ['apps/api/Dockerfile', 'apps/web/Dockerfile'];

// A Dockerfile that follows every rule, to break one rule at a time.
const GOOD = `
FROM node:20.20.2-bookworm-slim AS build
RUN npm ci

FROM node:20.20.2-bookworm-slim AS dependencies
RUN npm ci --omit=dev

FROM node:20.20.2-bookworm-slim
WORKDIR /app/apps/api
COPY --from=dependencies /app/node_modules /app/node_modules
COPY --from=dependencies /app/apps/api/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER 10001:10001
CMD ["node", "dist/server.js"]
`;

const BAD_CASES: { name: string; rule: string; dockerfile: string }[] = [
  {
    name: 'single stage',
    rule: 'multi-stage',
    dockerfile:
      'FROM node:20.20.2-bookworm-slim\nUSER 10001:10001\nCMD ["node", "a.js"]',
  },
  {
    name: 'unpinned base',
    rule: 'pinned-base',
    dockerfile: GOOD.replace(
      'FROM node:20.20.2-bookworm-slim AS build',
      'FROM node AS build',
    ),
  },
  {
    name: 'latest base',
    rule: 'pinned-base',
    dockerfile: GOOD.replace(
      'FROM node:20.20.2-bookworm-slim\n',
      'FROM node:latest\n',
    ),
  },
  {
    name: 'major-only base',
    rule: 'pinned-base',
    dockerfile: GOOD.replace(
      'FROM node:20.20.2-bookworm-slim AS dependencies',
      'FROM node:20-slim AS dependencies',
    ),
  },
  {
    name: 'no USER',
    rule: 'non-root-user',
    dockerfile: GOOD.replace('USER 10001:10001\n', ''),
  },
  {
    name: 'root USER',
    rule: 'non-root-user',
    dockerfile: GOOD.replace('USER 10001:10001', 'USER root'),
  },
  {
    name: 'UID 0',
    rule: 'non-root-user',
    dockerfile: GOOD.replace('USER 10001:10001', 'USER 0:0'),
  },
  {
    name: 'USER by name',
    rule: 'non-root-user',
    dockerfile: GOOD.replace('USER 10001:10001', 'USER node'),
  },
  {
    name: 'ADD from URL',
    rule: 'add-url',
    dockerfile: GOOD.replace(
      'USER 10001',
      'ADD https://example.com/tool.tar.gz /opt/\nUSER 10001',
    ),
  },
  {
    name: 'secret ENV',
    rule: 'secret',
    dockerfile: GOOD.replace('USER 10001', 'ENV JWT_SECRET=abc\nUSER 10001'),
  },
  {
    name: 'secret ARG',
    rule: 'secret',
    dockerfile: GOOD.replace('RUN npm ci\n', 'ARG NPM_TOKEN\nRUN npm ci\n'),
  },
  {
    name: 'credential in URL',
    rule: 'secret',
    dockerfile: GOOD.replace(
      'USER 10001',
      'ENV DATABASE_URL=postgres://shop:hunter2@db/shop\nUSER 10001',
    ),
  },
  {
    name: 'shell-form CMD',
    rule: 'exec-form',
    dockerfile: GOOD.replace(
      'CMD ["node", "dist/server.js"]',
      'CMD node dist/server.js',
    ),
  },
  {
    name: 'shell in ENTRYPOINT',
    rule: 'exec-form',
    dockerfile: GOOD.replace(
      'CMD ["node", "dist/server.js"]',
      'ENTRYPOINT ["/bin/sh", "-c", "node dist/server.js"]',
    ),
  },
  {
    name: 'HEALTHCHECK',
    rule: 'no-healthcheck',
    dockerfile: GOOD.replace(
      'USER 10001',
      'HEALTHCHECK CMD ["node", "check.js"]\nUSER 10001',
    ),
  },
  {
    name: 'install in final stage',
    rule: 'production-only',
    dockerfile: GOOD.replace(
      'USER 10001',
      'RUN apt-get update && apt-get install -y gcc\nUSER 10001',
    ),
  },
  {
    name: 'dev dependencies copied',
    rule: 'production-only',
    dockerfile: GOOD.replace(
      '--from=dependencies /app/node_modules',
      '--from=build /app/node_modules',
    ),
  },
  {
    name: 'ADD from URL in JSON form',
    rule: 'add-url',
    dockerfile: GOOD.replace(
      'USER 10001',
      'ADD ["https://example.com/tool.tar.gz", "/opt/"]\nUSER 10001',
    ),
  },
  {
    name: 'Redis URL with password',
    rule: 'secret',
    dockerfile: GOOD.replace(
      'USER 10001',
      'ENV REDIS_URL=redis://:hunter2hunter2@redis:6379\nUSER 10001',
    ),
  },
  {
    name: 'password query parameter',
    rule: 'secret',
    dockerfile: GOOD.replace(
      'USER 10001',
      'ENV DATABASE_URL=postgres://db:5432/shop?user=shop&password=hunter2\nUSER 10001',
    ),
  },
  {
    name: 'whole build stage copied',
    rule: 'production-only',
    dockerfile: GOOD.replace(
      'COPY --from=build /app/dist ./dist',
      'COPY --from=build /app /app',
    ),
  },
  {
    name: 'dash as CMD',
    rule: 'exec-form',
    dockerfile: GOOD.replace(
      'CMD ["node", "dist/server.js"]',
      'CMD ["/bin/dash", "-c", "node dist/server.js"]',
    ),
  },
  {
    name: 'npm i in final stage',
    rule: 'production-only',
    dockerfile: GOOD.replace(
      'USER 10001',
      'RUN npm i -g typescript\nUSER 10001',
    ),
  },
  {
    name: 'workspace node_modules missing',
    rule: 'workspace-modules',
    dockerfile: GOOD.replace(
      'COPY --from=dependencies /app/apps/api/node_modules ./node_modules\n',
      '',
    ),
  },
];

function productionDependencies(dockerfile: string): string[] {
  const manifest = JSON.parse(
    readFileSync(join(ROOT, dirname(dockerfile), 'package.json'), 'utf8'),
  ) as { dependencies?: Record<string, string> };
  return Object.keys(manifest.dependencies ?? {});
}

describe('dockerfile', () => {
  for (const path of DOCKERFILES) {
    test(`dockerfile - ${path} passes every rule`, () => {
      assert.deepEqual(
        lintDockerfile(readFileSync(join(ROOT, path), 'utf8'), {
          productionDependencies: productionDependencies(path),
        }),
        [],
      );
    });
  }

  test('dockerfile - API keeps Prisma CLI out', () => {
    const text = readFileSync(join(ROOT, 'apps/api/Dockerfile'), 'utf8')
      .split('\n')
      .filter((line) => !line.includes('rm -rf node_modules/prisma'))
      .join('\n');
    const rules = lintDockerfile(text, {
      productionDependencies: ['prisma'],
    }).map((violation) => violation.message);
    assert.ok(
      rules.some((message) => message.startsWith('prisma is a production')),
      `got [${rules.join('; ')}]`,
    );
  });

  test('dockerfile - good fixture passes', () => {
    assert.deepEqual(lintDockerfile(GOOD), []);
  });

  for (const badCase of BAD_CASES) {
    test(`dockerfile - catches ${badCase.name}`, () => {
      const rules = lintDockerfile(badCase.dockerfile).map(
        (violation) => violation.rule,
      );
      assert.ok(
        rules.includes(badCase.rule),
        `expected ${badCase.rule}, got [${rules.join(', ')}]`,
      );
    });
  }

  test('dockerfile - continuation lines joined', () => {
    const [run] = parseDockerfile('RUN a \\\n  # comment\n  && b\n');
    assert.equal(run?.keyword, 'RUN');
    assert.match(run?.args ?? '', /a\s+&& b/);
  });
});

describe('dockerignore', () => {
  const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');

  const EXCLUDED = [
    '.env',
    '.env.production',
    'apps/api/.env',
    '.data/pglite/base/1',
    'apps/api/.data/x',
    'node_modules/fastify/package.json',
    'apps/web/node_modules/next/package.json',
    'apps/api/test/config.test.ts',
    'apps/web/test/browser/checkout.test.ts',
    'apps/api/test/fixtures/orders.json',
    '.npmrc',
    'apps/api/.npmrc',
    'deploy/test/schema.test.ts',
    'apps/api/dist/server.js',
    'apps/web/.next/BUILD_ID',
    '.git/HEAD',
  ];
  const INCLUDED = [
    'package.json',
    'package-lock.json',
    'tsconfig.base.json',
    'apps/api/src/server.ts',
    'apps/api/prisma/migrations/20261204160000_init/migration.sql',
    'apps/web/src/app/page.tsx',
    'apps/web/next.config.ts',
    'deploy/package.json',
  ];

  for (const path of EXCLUDED) {
    test(`dockerignore - excludes ${path}`, () => {
      assert.equal(isIgnored(dockerignore, path), true);
    });
  }

  for (const path of INCLUDED) {
    test(`dockerignore - keeps ${path}`, () => {
      assert.equal(isIgnored(dockerignore, path), false);
    });
  }

  test('dockerignore - negation re-includes', () => {
    assert.equal(isIgnored('**/.env.*\n!.env.example', '.env.example'), false);
  });
});
