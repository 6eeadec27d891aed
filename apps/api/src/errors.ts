/**
 * Catalogue of the error codes the API returns, each with its HTTP status
 * and the message used when a route gives none.
 */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, message: 'The request is invalid.' },
  INVALID_CREDENTIALS: { status: 401, message: 'Invalid email or password.' },
  UNAUTHENTICATED: {
    status: 401,
    message: 'Authentication is required: send a valid access token.',
  },
  FORBIDDEN: {
    status: 403,
    message: 'You do not have permission to do this.',
  },
  NOT_FOUND: { status: 404, message: 'The resource was not found.' },
  METHOD_NOT_ALLOWED: {
    status: 405,
    message: 'The path does not support this method: see the Allow header.',
  },
  CONFLICT: {
    status: 409,
    message: 'The request conflicts with the current state of the resource.',
  },
  INVALID_TRANSITION: {
    status: 409,
    message: 'The status change is not allowed from the current status.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    message: 'The Idempotency-Key was already used with a different request.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    message: 'The request body is larger than the limit of 1 MiB.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'The Content-Type is not supported: send application/json.',
  },
  OUT_OF_STOCK: {
    status: 422,
    message: 'Not enough stock for the requested quantity.',
  },
  CART_EMPTY: { status: 422, message: 'The cart is empty.' },
  BUSINESS_RULE: {
    status: 422,
    message: 'The request breaks a business rule.',
  },
  PAYMENT_FAILED: { status: 422, message: 'The payment was declined.' },
  RATE_LIMITED: {
    status: 429,
    message: 'Too many requests: retry after the time in Retry-After.',
  },
  INTERNAL: {
    status: 500,
    message:
      'An unexpected error occurred. Quote the request id if you report it.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    message: 'The service is temporarily unavailable.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** One failing field of a request, such as `body.email`. */
export interface ErrorDetail {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  details?: ErrorDetail[];
  cause?: unknown;
  /** Response headers to send with the error, such as Retry-After. */
  headers?: Record<string, string>;
}

/**
 * An error that is safe to show to the client: the error handler sends its
 * code, message and details with the status from the catalogue.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details?: ErrorDetail[];
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    message?: string,
    options: AppErrorOptions = {},
  ) {
    super(message ?? errorCatalogue[code].message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.statusCode = errorCatalogue[code].status;
    this.details = options.details;
    this.headers = options.headers;
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    requestId: string;
    details?: ErrorDetail[];
  };
}
