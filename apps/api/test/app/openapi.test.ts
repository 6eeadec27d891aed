import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { buildTestApp, type TestApp } from '../helpers/app.js';

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<
    string,
    Record<
      string,
      {
        responses?: Record<string, unknown>;
        requestBody?: unknown;
        security?: Record<string, string[]>[];
      }
    >
  >;
  components?: {
    schemas?: Record<string, unknown>;
    securitySchemes?: Record<string, unknown>;
  };
}

// Routes the document leaves out on purpose. listRoutes also skips the HEAD
// route that Fastify adds for every GET.
const UNDOCUMENTED = new Set(['GET /api/openapi.json']);

/**
 * Lists "METHOD /path" for every route, in OpenAPI's `{param}` notation,
 * from the tree that `printRoutes` draws (four characters per level).
 */
function listRoutes(app: FastifyInstance): string[] {
  const prefixes: string[] = [];
  const routes: string[] = [];

  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?$/.exec(line);
    if (!match) continue;

    const depth = (match[1] ?? '').length / 4;
    const path = (prefixes[depth - 1] ?? '') + (match[2] ?? '');
    prefixes[depth] = path;
    prefixes.length = depth + 1;

    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) {
      if (method === 'HEAD') continue;
      routes.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes.filter((route) => !UNDOCUMENTED.has(route)).sort();
}

function collectRefs(value: unknown, refs: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, refs);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') refs.push(child);
      else collectRefs(child, refs);
    }
  }
  return refs;
}

describe('GET /api/openapi.json', () => {
  let testApp: TestApp;
  let document: OpenApiDocument;

  before(async () => {
    testApp = await buildTestApp();
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/api/openapi.json',
    });
    assert.equal(response.statusCode, 200);
    assert.match(
      String(response.headers['content-type']),
      /^application\/json/,
    );
    document = response.json<OpenApiDocument>();
  });
  after(async () => {
    await testApp.close();
  });

  test('openapi - version and info', () => {
    assert.equal(document.openapi, '3.1.0');
    assert.equal(typeof document.info.title, 'string');
    assert.equal(typeof document.info.version, 'string');
  });

  test('openapi - lists every route', () => {
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort();

    assert.deepEqual(documented, listRoutes(testApp.app));
  });

  test('openapi - every operation has responses', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        assert.ok(operation.responses, `${method} ${path} has responses`);
      }
    }
  });

  test('openapi - authenticated operations require bearerAuth', () => {
    const authenticated = Object.entries(document.paths).flatMap(
      ([path, item]) =>
        Object.entries(item)
          .filter(
            ([method]) =>
              /^\/api\/(cart|orders|admin)(\/|$)/.test(path) ||
              (method === 'get' && path === '/api/auth/me') ||
              path === '/api/auth/change-password',
          )
          .map(([method, operation]) => ({ path, method, operation })),
    );

    // Guards the path filter above against matching nothing.
    assert.ok(authenticated.length > 20, `${authenticated.length} operations`);
    for (const { path, method, operation } of authenticated) {
      assert.deepEqual(
        operation.security,
        [{ bearerAuth: [] }],
        `${method} ${path} security`,
      );
      assert.ok(operation.responses?.['401'], `${method} ${path} lists 401`);
    }
  });

  test('openapi - public operations have no security', () => {
    for (const path of ['/api/products', '/api/categories']) {
      assert.equal(document.paths[path]?.get?.security, undefined, path);
    }
  });

  test('openapi - operations list their error responses', () => {
    const errorRef = { $ref: '#/components/schemas/Error' };
    for (const [path, item] of Object.entries(document.paths)) {
      if (path === '/health' || path === '/ready') continue;
      for (const [method, operation] of Object.entries(item)) {
        const responses = operation.responses ?? {};
        for (const status of ['400', '429']) {
          assert.ok(responses[status], `${method} ${path} lists ${status}`);
        }
        if (path.includes('{')) {
          assert.ok(responses['404'], `${method} ${path} lists 404`);
        }
        if (['post', 'put', 'patch'].includes(method)) {
          assert.ok(responses['413'], `${method} ${path} lists 413`);
          assert.ok(responses['415'], `${method} ${path} lists 415`);
        }
        if (path.startsWith('/api/admin')) {
          assert.ok(responses['403'], `${method} ${path} lists 403`);
        }
        const content = (
          responses['400'] as { content?: Record<string, { schema?: unknown }> }
        ).content;
        assert.deepEqual(
          content?.['application/json']?.schema,
          errorRef,
          `${method} ${path} 400 uses the Error schema`,
        );
      }
    }
  });

  test('openapi - every reference resolves', () => {
    for (const ref of collectRefs(document)) {
      const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
      assert.ok(match, `${ref} points into components`);
      assert.ok(
        document.components?.schemas?.[match[1] ?? ''],
        `${ref} exists`,
      );
    }
  });

  test('openapi - request bodies are strict', () => {
    const register = document.paths['/api/auth/register']?.post
      ?.requestBody as {
      content: Record<
        string,
        { schema: { additionalProperties?: unknown; required?: string[] } }
      >;
    };
    const schema = register.content['application/json']?.schema;

    assert.equal(schema?.additionalProperties, false);
    assert.deepEqual(schema?.required?.sort(), ['email', 'name', 'password']);
  });

  test('openapi - no interactive page outside development', async () => {
    for (const url of ['/documentation', '/docs', '/api/docs']) {
      const response = await testApp.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 404, url);
    }
  });
});
