import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import secureJson from 'secure-json-parse';

import { AppError } from '../errors.js';

// The only Content-Type a request body may have: the exact lowercase media
// type, optionally with `; charset=utf-8`. RFC 9110 makes media types
// case-insensitive, but proxies and frameworks disagree on odd casing and
// on whitespace before the parameter. A WAF in front of the API might read
// such a header differently from this parser, so anything else is 415.
const JSON_CONTENT_TYPE = /^application\/json(?:; ?charset=utf-8)?$/i;
const JSON_MEDIA_TYPE = 'application/json';

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];

  return (
    request.headers['transfer-encoding'] !== undefined ||
    (length !== undefined && length !== '0')
  );
}

function isStrictJsonContentType(value: string | undefined): boolean {
  return (
    value !== undefined &&
    JSON_CONTENT_TYPE.test(value) &&
    value.startsWith(JSON_MEDIA_TYPE)
  );
}

/**
 * Rejects a body before it is read when its Content-Type is not strict JSON
 * or when it is compressed. Compressed bodies are never inflated: a 50 KB
 * gzip can expand to gigabytes, and no client of this API needs them.
 */
function checkBodyHeaders(request: FastifyRequest): void {
  if (!hasBody(request)) {
    return;
  }

  const encoding = request.headers['content-encoding'];

  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Compressed request bodies are not accepted: send the body without Content-Encoding.',
    );
  }

  if (!isStrictJsonContentType(request.headers['content-type'])) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'The Content-Type must be exactly application/json (optionally with "; charset=utf-8").',
    );
  }
}

type ErrorDetail = { path: string; message: string };

// String.prototype.isWellFormed exists in Node 20 but is typed only by the
// ES2024 lib, which the TypeScript target of this package does not include.
type WellFormedCheck = string & { isWellFormed(): boolean };

/**
 * Returns why a string may not reach a handler, or null when it may.
 * PostgreSQL rejects U+0000 in text and lone UTF-16 surrogates in json,
 * and stores a lone surrogate in text as U+FFFD, so both are rejected here
 * instead of failing (500) or changing silently in the database.
 */
function stringProblem(value: string): string | null {
  if (!(value as WellFormedCheck).isWellFormed()) {
    return 'The text contains an unpaired UTF-16 surrogate: send well-formed Unicode.';
  }

  if (value.includes('\u0000')) {
    return 'The text contains a NUL character (U+0000): remove it.';
  }

  return null;
}

/**
 * Collects every string in a parsed JSON value, object keys included, that
 * fails stringProblem. Paths use the same dotted form as schema errors.
 */
function collectStringProblems(
  value: unknown,
  path: string,
  details: ErrorDetail[],
): void {
  if (typeof value === 'string') {
    const message = stringProblem(value);
    if (message !== null) {
      details.push({ path, message });
    }
    return;
  }

  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      collectStringProblems(item, `${path}.${index}`, details);
    });
    return;
  }

  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyMessage = stringProblem(key);
      if (keyMessage !== null) {
        details.push({
          path,
          message: `A field name is invalid. ${keyMessage}`,
        });
        continue;
      }
      collectStringProblems(item, `${path}.${key}`, details);
    }
  }
}

function rejectStringProblems(details: ErrorDetail[], message: string): void {
  if (details.length > 0) {
    throw new AppError('VALIDATION_FAILED', message, { details });
  }
}

/** Parses a JSON body, rejecting the keys that pollute object prototypes. */
function parseJsonBody(body: string): unknown {
  if (body.length === 0) {
    return undefined;
  }

  let parsed: unknown;
  try {
    parsed = secureJson.parse(body, undefined, {
      protoAction: 'error',
      constructorAction: 'error',
    });
  } catch (err) {
    const message =
      err instanceof SyntaxError && /prototype/i.test(err.message)
        ? 'The request body contains a forbidden key: __proto__ or constructor.prototype.'
        : 'The request body is not valid JSON.';

    throw new AppError('VALIDATION_FAILED', message, { cause: err });
  }

  const details: ErrorDetail[] = [];
  collectStringProblems(parsed, 'body', details);
  rejectStringProblems(details, 'The request body contains invalid text.');

  return parsed;
}

/** Rejects NUL characters and unpaired surrogates in query and path parameters. */
function checkUrlStrings(request: FastifyRequest): void {
  const details: ErrorDetail[] = [];
  collectStringProblems(request.query ?? {}, 'query', details);
  collectStringProblems(request.params ?? {}, 'params', details);
  rejectStringProblems(details, 'The URL contains invalid text.');
}

/**
 * Rejects a body sent to a route that declares no body schema, such as
 * `DELETE /api/cart`. Such a route would otherwise ignore the body, while
 * every route with a body rejects unknown fields.
 */
function checkUnexpectedBody(request: FastifyRequest): void {
  if (request.is404 || request.body === undefined) {
    return;
  }

  if (request.routeOptions.schema?.body === undefined) {
    throw new AppError(
      'VALIDATION_FAILED',
      'This endpoint takes no request body: send the request without one.',
      { details: [{ path: 'body', message: 'Unexpected request body.' }] },
    );
  }
}

/**
 * Rejects query strings with a repeated key or a bracketed or dotted key
 * name. The API has no list or nested query parameters, so `?a=1&a=2`,
 * `?a[b]=1` and `?a.b=1` are attempts to pass an array or an object where
 * a string is expected (for example a Prisma filter like `{ "not": "" }`).
 */
function checkQueryShape(request: FastifyRequest): void {
  const query = request.query as Record<string, unknown> | undefined;
  const details: ErrorDetail[] = [];

  for (const [key, value] of Object.entries(query ?? {})) {
    if (Array.isArray(value)) {
      details.push({
        path: `query.${key}`,
        message: 'The parameter is repeated: send it once.',
      });
    } else if (/[[\].]/.test(key)) {
      details.push({
        path: `query.${key}`,
        message: 'Nested query parameters are not accepted.',
      });
    }
  }

  if (details.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'The query string is invalid.', {
      details,
    });
  }
}

async function requestParsing(app: FastifyInstance): Promise<void> {
  // Fastify's defaults also parse text/plain and accept any casing of
  // application/json; replace them with one strict JSON parser.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'string' },
    async (_request: FastifyRequest, body: string) => parseJsonBody(body),
  );

  app.addHook('onRequest', async (request) => {
    checkBodyHeaders(request);
    checkQueryShape(request);
    checkUrlStrings(request);
  });

  app.addHook('preValidation', async (request) => {
    checkUnexpectedBody(request);
  });
}

/**
 * Strict request parsing: JSON bodies only (415 otherwise), no compressed
 * bodies, prototype-polluting keys rejected (400) and scalar-only query
 * parameters (400). Strings in the body, query and path may contain no NUL
 * or unpaired surrogate (400), and routes without a body schema reject any
 * body (400). The body limit of 1 MiB is Fastify's `bodyLimit`.
 */
export default fp(requestParsing, {
  name: 'request-parsing',
  fastify: '5.x',
  dependencies: ['error-handler'],
});
