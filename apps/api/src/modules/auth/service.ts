import { createHash, randomBytes, randomUUID } from 'node:crypto';

import type { PrismaClient, User } from '../../generated/prisma/client.js';
import type { PasswordHasher } from './passwords.js';

export type AccountUser = Pick<
  User,
  'id' | 'email' | 'name' | 'role' | 'createdAt'
>;

const accountFields = {
  id: true,
  email: true,
  name: true,
  role: true,
  createdAt: true,
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** SHA-256 of a refresh token: the database stores only this digest. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function isUniqueViolation(err: unknown): boolean {
  return (
    err instanceof Error &&
    err.name === 'PrismaClientKnownRequestError' &&
    (err as Error & { code?: string }).code === 'P2002'
  );
}

/**
 * Creates a customer account. Returns 'exists' when the email is taken.
 * The password is hashed in both cases, so both take the same time.
 */
export async function registerUser(
  prisma: PrismaClient,
  passwords: PasswordHasher,
  input: { email: string; password: string; name: string },
): Promise<'created' | 'exists'> {
  const passwordHash = await passwords.hash(input.password);

  try {
    await prisma.user.create({
      data: {
        email: input.email,
        name: input.name,
        passwordHash,
        role: 'customer',
      },
    });
    return 'created';
  } catch (err) {
    if (isUniqueViolation(err)) return 'exists';
    throw err;
  }
}

export type LoginFailureReason =
  'unknown_email' | 'account_disabled' | 'wrong_password';

export type CredentialCheck =
  { user: AccountUser } | { user: null; reason: LoginFailureReason };

/**
 * Returns the active account with this email and password, or the reason
 * for the failure, which is logged but never sent to the client.
 * Unknown and disabled accounts still run one bcrypt comparison.
 */
export async function verifyCredentials(
  prisma: PrismaClient,
  passwords: PasswordHasher,
  email: string,
  password: string,
): Promise<CredentialCheck> {
  const user = await prisma.user.findUnique({
    where: { email },
    select: { ...accountFields, passwordHash: true, active: true },
  });
  const usableHash = user?.active ? user.passwordHash : null;
  const matches = await passwords.verify(password, usableHash);

  if (!user) return { user: null, reason: 'unknown_email' };
  if (!user.active) return { user: null, reason: 'account_disabled' };
  if (!matches) return { user: null, reason: 'wrong_password' };

  const { passwordHash: _hash, active: _active, ...account } = user;
  return { user: account };
}

/** Returns the account if it exists and is active, else null. */
export async function findActiveUser(
  prisma: PrismaClient,
  userId: string,
): Promise<AccountUser | null> {
  return prisma.user.findFirst({
    where: { id: userId, active: true },
    select: accountFields,
  });
}

export async function updateUserName(
  prisma: PrismaClient,
  userId: string,
  name: string,
): Promise<AccountUser | null> {
  const { count } = await prisma.user.updateMany({
    where: { id: userId, active: true },
    data: { name },
  });
  return count === 1 ? findActiveUser(prisma, userId) : null;
}

/**
 * Stores a new refresh token and returns it. A token from a new sign-in
 * starts a family; a rotated token joins the family of its predecessor.
 */
export async function createRefreshToken(
  prisma: Pick<PrismaClient, 'refreshToken'>,
  userId: string,
  ttlDays: number,
  familyId: string = randomUUID(),
): Promise<string> {
  const token = randomBytes(32).toString('base64url');

  await prisma.refreshToken.create({
    data: {
      userId,
      familyId,
      tokenHash: hashRefreshToken(token),
      expiresAt: new Date(Date.now() + ttlDays * DAY_MS),
    },
  });
  return token;
}

export type RotationResult =
  | { status: 'rotated'; user: AccountUser; refreshToken: string }
  | { status: 'invalid' }
  | { status: 'reused'; userId: string; familyId: string };

async function revokeFamily(
  prisma: Pick<PrismaClient, 'refreshToken'>,
  familyId: string,
): Promise<void> {
  await prisma.refreshToken.updateMany({
    where: { familyId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
}

/**
 * Exchanges a refresh token for a new one in the same family.
 * A token that was already rotated is a replay, probably of a stolen token,
 * so the whole family is revoked and both holders must sign in again.
 */
export async function rotateRefreshToken(
  prisma: PrismaClient,
  token: string,
  ttlDays: number,
): Promise<RotationResult> {
  const stored = await prisma.refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(token) },
  });
  if (!stored || stored.revokedAt) return { status: 'invalid' };

  if (stored.rotatedAt) {
    await revokeFamily(prisma, stored.familyId);
    return {
      status: 'reused',
      userId: stored.userId,
      familyId: stored.familyId,
    };
  }
  if (stored.expiresAt <= new Date()) return { status: 'invalid' };

  const user = await findActiveUser(prisma, stored.userId);
  if (!user) return { status: 'invalid' };

  return prisma.$transaction(async (tx) => {
    // The conditional update lets exactly one of two concurrent requests
    // with the same token rotate it; the other is treated as a replay.
    const { count } = await tx.refreshToken.updateMany({
      where: { id: stored.id, rotatedAt: null, revokedAt: null },
      data: { rotatedAt: new Date() },
    });
    if (count !== 1) {
      await revokeFamily(tx, stored.familyId);
      return {
        status: 'reused',
        userId: stored.userId,
        familyId: stored.familyId,
      };
    }

    const refreshToken = await createRefreshToken(
      tx,
      user.id,
      ttlDays,
      stored.familyId,
    );
    return { status: 'rotated', user, refreshToken };
  });
}

/** Revokes the family of the token; unknown tokens are ignored. */
export async function revokeRefreshToken(
  prisma: PrismaClient,
  token: string,
): Promise<{ userId: string } | null> {
  const stored = await prisma.refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(token) },
    select: { familyId: true, userId: true },
  });
  if (!stored) return null;

  await revokeFamily(prisma, stored.familyId);
  return { userId: stored.userId };
}

/**
 * Replaces the password after checking the current one, revokes every
 * refresh token of the user and starts a new session.
 * Returns null when the account is gone or the current password is wrong.
 */
export async function changePassword(
  prisma: PrismaClient,
  passwords: PasswordHasher,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  ttlDays: number,
): Promise<{ user: AccountUser; refreshToken: string } | null> {
  const user = await prisma.user.findFirst({
    where: { id: userId, active: true },
    select: { ...accountFields, passwordHash: true },
  });
  const valid = await passwords.verify(
    input.currentPassword,
    user?.passwordHash ?? null,
  );
  if (!user || !valid) return null;

  const passwordHash = await passwords.hash(input.newPassword);

  return prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    await tx.refreshToken.updateMany({
      where: { userId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const refreshToken = await createRefreshToken(tx, userId, ttlDays);

    const { passwordHash: _hash, ...account } = user;
    return { user: account, refreshToken };
  });
}
