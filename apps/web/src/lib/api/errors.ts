/** One field problem reported by the API with a VALIDATION_FAILED error. */
export interface ApiFieldError {
  path: string;
  message: string;
}

/** A failed API call, carrying the API's error code and HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly details: ApiFieldError[];

  constructor(
    status: number,
    code: string,
    message: string,
    options: {
      requestId?: string;
      details?: ApiFieldError[];
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = options.requestId;
    this.details = options.details ?? [];
  }
}

const CODE_BY_STATUS: Record<number, string> = {
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

/**
 * Converts a non-2xx API response into an ApiError. A body in the API's
 * error format keeps its code, message and details. Any other body, such as
 * an HTML page from a proxy or truncated JSON, gets a code derived from the
 * status, so callers never see upstream text.
 */
export function toApiError(status: number, body: unknown): ApiError {
  const fallbackCode = CODE_BY_STATUS[status] ?? 'INTERNAL';
  const envelope = isRecord(body) && isRecord(body.error) ? body.error : null;

  if (!envelope || typeof envelope.code !== 'string') {
    return new ApiError(
      status,
      fallbackCode,
      `API request failed with status ${status}`,
    );
  }

  const details = Array.isArray(envelope.details)
    ? envelope.details.filter(isFieldError)
    : [];
  const message =
    typeof envelope.message === 'string' ? envelope.message : envelope.code;
  const requestId =
    typeof envelope.requestId === 'string' ? envelope.requestId : undefined;

  return new ApiError(status, envelope.code, message, { requestId, details });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFieldError(value: unknown): value is ApiFieldError {
  return (
    isRecord(value) &&
    typeof value.path === 'string' &&
    typeof value.message === 'string'
  );
}

const USER_MESSAGES: Record<string, string> = {
  INVALID_CREDENTIALS: 'The email or password is incorrect.',
  OUT_OF_STOCK: 'Not enough items are in stock for that quantity.',
  // The API writes nothing when a payment fails, so the cart is unchanged.
  PAYMENT_FAILED:
    'The payment was declined, so no order was placed. Your cart is unchanged: try again or choose another card.',
  CART_EMPTY: 'Your cart is empty.',
  RATE_LIMITED: 'Too many attempts. Wait a few minutes and try again.',
  CONFLICT:
    'That change conflicts with the current state. Reload and try again.',
  NOT_FOUND: 'That item no longer exists.',
  VALIDATION_FAILED: 'Some fields are invalid. Check them and try again.',
  UNAUTHENTICATED: 'Your session has ended. Sign in again.',
  FORBIDDEN: 'You are not allowed to do that.',
  SERVICE_UNAVAILABLE:
    'The shop is temporarily unavailable. Try again shortly.',
};

/**
 * Returns the fixed message for an error code carried in a URL, such as
 * `?error=OUT_OF_STOCK`. Unknown codes get a generic sentence, so a crafted
 * link cannot put its own text on the page.
 */
export function messageForCode(code: string | undefined): string | undefined {
  if (!code) return undefined;
  return USER_MESSAGES[code] ?? 'Something went wrong. Try again.';
}

/** Returns the error code to put in a redirect URL after a failed API call. */
export function errorCode(error: unknown): string {
  return error instanceof ApiError && USER_MESSAGES[error.code]
    ? error.code
    : 'INTERNAL';
}

/**
 * Returns a message that is safe to show to a shopper. Known codes get a
 * fixed text; anything else, including every 5xx, gets a generic sentence,
 * so no upstream detail reaches the page.
 */
export function userMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const known = USER_MESSAGES[error.code];
    if (known) return known;
    if (error.status === 422) return error.message;
  }
  return 'Something went wrong. Try again.';
}
