import { z } from 'zod';

const envSchema = z.object({
  API_URL: z.url().default('http://127.0.0.1:4000'),
  // The storefront's public origin, for example https://shop.example. When it
  // is unset, the CSRF check compares the Origin header with the Host header.
  WEB_ORIGIN: z.url().optional(),
  // Number of reverse proxies in front of the storefront that append to
  // X-Forwarded-For. 0 means clients connect directly.
  WEB_TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
});

export type WebConfig = z.infer<typeof envSchema>;

let cached: WebConfig | undefined;

/** Returns the validated environment, parsed once per process. */
export function getConfig(): WebConfig {
  if (cached) return cached;

  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid storefront environment: ${problems}`);
  }

  cached = parsed.data;
  return cached;
}
