import { z } from 'zod';
import {
  paginationParams,
  singleStringParam,
} from '../catalog/query-params.js';

export const MAX_QUERY_LENGTH = 100;
export const MAX_SUGGESTIONS = 8;

// PostgreSQL rejects NUL in text values, and no product name contains a
// control character, so such queries are rejected as invalid input.
const searchText = singleStringParam()
  .trim()
  .min(1, 'Enter at least one character to search for')
  .max(
    MAX_QUERY_LENGTH,
    `Search text is limited to ${MAX_QUERY_LENGTH} characters`,
  )
  .regex(/^[^\p{Cc}]*$/u, 'Search text must not contain control characters');

export const searchQuerySchema = z.strictObject({
  q: searchText,
  ...paginationParams,
});

export const suggestQuerySchema = z.strictObject({ q: searchText });

export const suggestResponseSchema = z.object({
  items: z.array(z.object({ slug: z.string(), name: z.string() })),
});
