import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import fp from 'fastify-plugin';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { isResponseSerializationError } from 'fastify-type-provider-zod';

import {
  AppError,
  type ErrorBody,
  type ErrorCode,
  type ErrorDetail,
  errorCatalogue,
} from '../errors.js';

// Fastify's own request errors, mapped to a catalogue code and a message
// written here, because the library text names internals.
const fastifyErrors: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: errorCatalogue.UNSUPPORTED_MEDIA_TYPE.message,
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'PAYLOAD_TOO_LARGE',
    message: errorCatalogue.PAYLOAD_TOO_LARGE.message,
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'VALIDATION_FAILED',
    message: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'VALIDATION_FAILED',
    message:
      'The request body is empty but Content-Type is application/json: send a JSON body or no Content-Type.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'VALIDATION_FAILED',
    message: 'The Content-Length header does not match the body.',
  },
};

// Fallback for other 4xx errors raised by Fastify or its plugins, by status.
const codeByStatus: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'BUSINESS_RULE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

interface MappedError {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  headers?: Record<string, string>;
}

// Fastify names the request part in `validationContext`; responses use the
// names clients know from the contract.
function requestPartName(context: string | undefined): string {
  if (context === 'querystring') return 'query';
  return context ?? 'request';
}

function validationDetails(error: FastifyError): ErrorDetail[] {
  const part = requestPartName(error.validationContext);

  return (error.validation ?? []).flatMap((issue) => {
    const fieldPath = issue.instancePath
      .split('/')
      .filter((segment) => segment !== '');
    const base = [part, ...fieldPath].join('.');

    // An unknown key is reported on its parent object, so name the key.
    const unknownKeys = (issue.params as { keys?: unknown }).keys;
    if (Array.isArray(unknownKeys)) {
      return unknownKeys.map((key) => ({
        path: `${base}.${String(key)}`,
        message: 'Unknown field: remove it from the request.',
      }));
    }
    return [{ path: base, message: issue.message ?? 'Invalid value.' }];
  });
}

// Prisma errors that have a safe meaning for the client. Matched by name and
// code so this plugin does not load the generated client.
function mapPrismaError(error: Error): MappedError | undefined {
  if (error.name !== 'PrismaClientKnownRequestError') return undefined;

  const code = (error as Error & { code?: string }).code;
  if (code === 'P2002') {
    return {
      statusCode: 409,
      code: 'CONFLICT',
      message: 'A record with the same unique value already exists.',
    };
  }
  if (code === 'P2025') {
    return {
      statusCode: 404,
      code: 'NOT_FOUND',
      message: errorCatalogue.NOT_FOUND.message,
    };
  }
  return undefined;
}

/** Maps any thrown value to a client-safe error, or undefined for a 500. */
function mapError(error: FastifyError): MappedError | undefined {
  if (error instanceof AppError) {
    return {
      statusCode: error.statusCode,
      code: error.code,
      message: error.message,
      details: error.details,
      headers: error.headers,
    };
  }

  if (error.validation) {
    return {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'The request is invalid: see details for each failing field.',
      details: validationDetails(error),
    };
  }

  const known = error.code ? fastifyErrors[error.code] : undefined;
  if (known) {
    return {
      statusCode: errorCatalogue[known.code].status,
      code: known.code,
      message: known.message,
    };
  }

  const prismaError = mapPrismaError(error);
  if (prismaError) return prismaError;

  // Other client errors from Fastify or a plugin (for example the rate
  // limiter's 429): keep the status, replace the text with the catalogue's.
  const status = error.statusCode;
  const code = status !== undefined ? codeByStatus[status] : undefined;
  if (status !== undefined && code !== undefined && status < 500) {
    return { statusCode: status, code, message: errorCatalogue[code].message };
  }
  return undefined;
}

function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  mapped: MappedError,
): FastifyReply {
  const body: ErrorBody = {
    error: {
      code: mapped.code,
      message: mapped.message,
      requestId: request.id,
      ...(mapped.details ? { details: mapped.details } : {}),
    },
  };
  if (mapped.headers) reply.headers(mapped.headers);

  return reply.code(mapped.statusCode).type('application/json').send(body);
}

async function errorHandlerPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mapped = mapError(error);

    if (mapped && mapped.statusCode < 500) {
      request.log.info(
        { code: mapped.code, statusCode: mapped.statusCode },
        'Request rejected',
      );
      return sendError(request, reply, mapped);
    }

    if (mapped) {
      request.log.warn({ err: error, code: mapped.code }, 'Request failed');
      return sendError(request, reply, mapped);
    }

    const reason = isResponseSerializationError(error)
      ? 'Response did not match its schema'
      : 'Unhandled error';
    request.log.error({ err: error, requestId: request.id }, reason);
    return sendError(request, reply, {
      statusCode: 500,
      code: 'INTERNAL',
      message: errorCatalogue.INTERNAL.message,
    });
  });

  // A copy of the route table, matched with Fastify's own router library,
  // which distinguishes a wrong method on a known path (405) from an unknown
  // path (404).
  const routeTable = FindMyWay();
  const methods = new Set<HTTPMethod>();
  app.addHook('onRoute', (route) => {
    const routeMethods = Array.isArray(route.method)
      ? route.method
      : [route.method];
    for (const method of routeMethods as HTTPMethod[]) {
      methods.add(method);
      if (!routeTable.hasRoute(method, route.url)) {
        routeTable.on(method, route.url, () => {});
      }
    }
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '/';
    const allowed = [...methods].filter(
      (method) => routeTable.find(method, path) !== null,
    );
    if (allowed.length > 0) {
      return sendError(request, reply, {
        statusCode: 405,
        code: 'METHOD_NOT_ALLOWED',
        message: `${request.method} is not allowed on this path. Allowed: ${allowed.join(', ')}.`,
        headers: { Allow: allowed.join(', ') },
      });
    }

    return sendError(request, reply, {
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'No route matches this method and path.',
    });
  });
}

/** Sends every error as `{ error: { code, message, requestId, details? } }`. */
export default fp(errorHandlerPlugin, { name: 'error-handler' });
