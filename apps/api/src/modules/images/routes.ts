import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { AppError } from '../../errors.js';

/** Product images shipped with the API (the same path from src/ and dist/). */
export const productImagesDir = fileURLToPath(
  new URL('../../../assets/products/', import.meta.url),
);

// Letters, digits, `_` and `-`, then `.svg`: no dot, slash or percent
// sign can reach the file system, so `..%2f` and similar fail validation.
export const IMAGE_FILE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,95}\.svg$/;

// The files never change while a build runs, so browsers and proxies may
// keep them for a week. A week rather than a year: the URLs carry no
// content hash, so an edited image must reach clients eventually.
const CACHE_CONTROL = 'public, max-age=604800';

// SVG is a document format that may contain scripts. This policy blocks
// everything an image opened directly in a tab could load or run, and
// `sandbox` gives such a tab an opaque origin, so even a script that slipped
// through could not read the shop's cookies or storage. The shipped images
// use presentation attributes, so they need no styles.
export const SVG_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  'sandbox',
].join('; ');

interface ImageFile {
  body: Buffer;
  etag: string;
}

async function loadImages(dir: string): Promise<Map<string, ImageFile>> {
  const images = new Map<string, ImageFile>();

  for (const name of await readdir(dir)) {
    if (!IMAGE_FILE_PATTERN.test(name)) continue;

    const body = await readFile(join(dir, name));
    const hash = createHash('sha256').update(body).digest('base64url');
    images.set(name, { body, etag: `"${hash.slice(0, 22)}"` });
  }
  return images;
}

const paramsSchema = z.strictObject({
  file: z.string().regex(IMAGE_FILE_PATTERN, {
    error: 'Expected an image file name such as "desk-lamp.svg"',
  }),
});

/**
 * Serves the product images of the demo catalog from memory. They are read
 * once at startup, and only names listed in the folder can be served.
 */
export default async function imagesRoutes(
  app: FastifyInstance,
): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const images = await loadImages(productImagesDir);

  routes.get(
    '/images/products/:file',
    {
      schema: {
        summary: 'A product image (SVG)',
        tags: ['catalog'],
        params: paramsSchema,
        response: {
          // The body is a Buffer, which Fastify sends without serializing.
          200: z.any().describe('The SVG document, as image/svg+xml'),
          304: z.null().describe('Not modified: the ETag matched'),
        },
      },
    },
    async (request, reply) => {
      const image = images.get(request.params.file);
      if (!image) throw new AppError('NOT_FOUND', 'Image not found');

      reply
        .header('Cache-Control', CACHE_CONTROL)
        .header('ETag', image.etag)
        .header('Content-Security-Policy', SVG_CONTENT_SECURITY_POLICY);

      if (request.headers['if-none-match'] === image.etag) {
        return reply.code(304).send(null);
      }
      return reply.type('image/svg+xml; charset=utf-8').send(image.body);
    },
  );
}
