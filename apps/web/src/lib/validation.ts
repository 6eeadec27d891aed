import { z } from 'zod';

/**
 * Form schemas checked on the server before anything is sent to the API.
 * The HTML forms carry the same limits as attributes (required, maxLength,
 * pattern), so browsers check them first; the API validates once more.
 */
const utf8Bytes = (value: string) => new TextEncoder().encode(value).length;

export const passwordSchema = z
  .string()
  .refine((value) => utf8Bytes(value) >= 12, 'Use at least 12 characters.')
  .refine((value) => utf8Bytes(value) <= 72, 'Use at most 72 bytes.');

export const signInSchema = z.object({
  email: z.email('Enter a valid email address.').max(254),
  password: z.string().min(1, 'Enter your password.').max(200),
  next: z.string().max(2048).optional(),
});

export const registerSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter your name.')
    .max(100, 'Use at most 100 characters.'),
  email: z
    .email('Enter a valid email address.')
    .max(254, 'Use at most 254 characters.'),
  password: passwordSchema,
});

export const COUNTRIES: { code: string; name: string }[] = [
  { code: 'AT', name: 'Austria' },
  { code: 'BE', name: 'Belgium' },
  { code: 'DE', name: 'Germany' },
  { code: 'ES', name: 'Spain' },
  { code: 'FR', name: 'France' },
  { code: 'IE', name: 'Ireland' },
  { code: 'IT', name: 'Italy' },
  { code: 'NL', name: 'Netherlands' },
  { code: 'PT', name: 'Portugal' },
];

export const addressSchema = z.object({
  fullName: z
    .string()
    .trim()
    .min(1, 'Enter the recipient name.')
    .max(100, 'Use at most 100 characters.'),
  line1: z
    .string()
    .trim()
    .min(1, 'Enter the street address.')
    .max(200, 'Use at most 200 characters.'),
  line2: z.string().trim().max(200, 'Use at most 200 characters.').optional(),
  city: z
    .string()
    .trim()
    .min(1, 'Enter the city.')
    .max(100, 'Use at most 100 characters.'),
  postalCode: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9 -]{2,12}$/,
      'Enter a postal code of 2 to 12 letters, digits, spaces or dashes.',
    ),
  country: z.enum(
    COUNTRIES.map((country) => country.code) as [string, ...string[]],
    'Choose a country from the list.',
  ),
});

export const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_-]{8,128}$/);

export type FieldErrors = Record<string, string>;

const MISSING_FIELD_MESSAGE = 'This field is required.';

/**
 * Converts a Zod error into one message per form field. Form values are
 * always strings (see formValues), so a failed string type check means that
 * the field was missing from the submission, and it gets a plain sentence
 * instead of Zod's "expected string, received undefined".
 */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const result: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    const missing =
      issue.code === 'invalid_type' && issue.expected === 'string';
    const message = missing ? MISSING_FIELD_MESSAGE : issue.message;
    result[key] ??= message;
  }
  return result;
}

/** Returns the string fields of a form submission as a plain object. */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string' && !key.startsWith('$ACTION'))
      values[key] = value;
  }
  return values;
}
