import bcrypt from 'bcrypt';

/** bcrypt work factor: 2^12 rounds, about 200 ms per hash on one core. */
export const BCRYPT_COST = 12;

// A cost-12 hash of a random password that nobody knows. Login compares
// against it when the account is unknown or disabled, so those answers take
// as long as a wrong password for a real account.
const DUMMY_HASH = '$2b$12$3rrvrtAPvTIobxyBoB8sj.NRToR/6NnjuESaVFOrj9HOLrvGbz1m.';

export async function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

/** Compares in constant time with the stored hash, or the dummy hash when there is none. */
export async function verifyPassword(
  password: string,
  passwordHash: string | null,
): Promise<boolean> {
  const matches = await bcrypt.compare(password, passwordHash ?? DUMMY_HASH);
  return passwordHash !== null && matches;
}
