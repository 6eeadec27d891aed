import { z } from 'zod';

// Query string values arrive as strings. A repeated key (`?page=1&page=2`)
// arrives as an array, and these schemas accept only a single string, so
// such a request fails validation instead of picking one of the values.
const SINGLE_VALUE_ERROR = 'Expected a single value: send the parameter once';

/** String query parameter that rejects a repeated key. */
export function singleStringParam() {
  return z.string({ error: SINGLE_VALUE_ERROR });
}

/** Whole number in `[min, max]`, written as plain decimal digits. */
export function integerParam(min: number, max: number) {
  return singleStringParam()
    .regex(/^\d{1,10}$/, `Expected a whole number from ${min} to ${max}`)
    .describe(`Whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.int().min(min).max(max));
}

/** Boolean written as exactly `true` or `false`, so `featured=false` means false. */
export function booleanParam() {
  return z
    .enum(['true', 'false'], { error: 'Expected true or false' })
    .transform((value) => value === 'true');
}

/** URL slug such as `wireless-headphones`: lowercase ASCII words joined by hyphens. */
export const slugParam = singleStringParam()
  .min(1)
  .max(160)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Expected a slug such as "desk-lamp"');

/** Largest page number a listing accepts; deeper pages are a scan, not browsing. */
export const MAX_PAGE = 10_000;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export const paginationParams = {
  page: integerParam(1, MAX_PAGE).default(1),
  limit: integerParam(1, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
};
