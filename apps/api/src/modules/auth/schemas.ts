import { z } from 'zod';

/** Password length bounds in UTF-8 bytes. bcrypt reads only the first 72. */
export const PASSWORD_MIN_BYTES = 12;
export const PASSWORD_MAX_BYTES = 72;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { error: 'Email must be at most 254 characters.' })
  .pipe(z.email({ error: 'Invalid email address.' }));

export const passwordSchema = z
  .string()
  .max(1024, { error: `Password must be at most ${PASSWORD_MAX_BYTES} bytes.` })
  .check((ctx) => {
    const bytes = Buffer.byteLength(ctx.value, 'utf8');
    if (bytes < PASSWORD_MIN_BYTES) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `Password must be at least ${PASSWORD_MIN_BYTES} bytes (UTF-8).`,
      });
    }
    if (bytes > PASSWORD_MAX_BYTES) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `Password must be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8), because bcrypt ignores every byte after the 72nd.`,
      });
    }
    // The native bcrypt binding reads a C string, so a NUL byte would end
    // the password early and the rest would not count.
    if (ctx.value.includes('\u0000')) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: 'Password must not contain the NUL character.',
      });
    }
  });

// Letters, marks, numbers, punctuation and spaces: no control characters
// that could break logs or e-mails.
const nameSchema = z
  .string()
  .trim()
  .min(1, { error: 'Name is required.' })
  .max(100, { error: 'Name must be at most 100 characters.' })
  .regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u, {
    error: 'Name must not contain control characters.',
  });

// Opaque refresh tokens are 43 base64url characters (32 random bytes).
const refreshTokenSchema = z
  .string()
  .min(1, { error: 'Refresh token is required.' })
  .max(200, { error: 'Refresh token is too long.' });

export const registerBody = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  name: nameSchema,
});

// Login checks only the upper bound: a short password that predates the
// current policy should still get the generic 401, not a hint.
export const loginBody = z.strictObject({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().min(1).max(1024),
});

export const refreshBody = z.strictObject({ refreshToken: refreshTokenSchema });

export const logoutBody = z.strictObject({ refreshToken: refreshTokenSchema });

export const updateMeBody = z.strictObject({ name: nameSchema });

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: passwordSchema,
});

export const userResponse = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['customer', 'admin']),
  createdAt: z.iso.datetime(),
});

export const tokenPairResponse = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int(),
  user: userResponse,
});

export const registerResponse = z.object({
  status: z.literal('accepted'),
  message: z.string(),
});

export type UserResponse = z.infer<typeof userResponse>;
export type TokenPairResponse = z.infer<typeof tokenPairResponse>;
