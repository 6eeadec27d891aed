import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';

import bcrypt from 'bcrypt';
import pLimit from 'p-limit';

/** bcrypt work factor in production: 2^12 rounds. */
export const BCRYPT_COST = 12;

// A cost-12 hash of a random password that nobody knows. Login compares
// against it when the account is unknown or disabled, so those responses take
// as long as a wrong password for a real account.
const DUMMY_HASH =
  '$2b$12$3rrvrtAPvTIobxyBoB8sj.NRToR/6NnjuESaVFOrj9HOLrvGbz1m.';

// bcrypt runs on libuv's thread pool (4 threads by default), which WebCrypto
// also uses to sign and verify JWTs. Without a cap, a burst of logins queues
// every token operation behind seconds of hashing. One bcrypt call per core,
// and never more than 3, keeps the CPU busy and leaves a thread free.
const MAX_CONCURRENT_HASHES = Math.max(1, Math.min(availableParallelism(), 3));

/** Password hashing with one bcrypt cost. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * Compares with the stored hash, or with a dummy hash of the same cost
   * when there is none, and returns false in that case.
   */
  verify(password: string, passwordHash: string | null): Promise<boolean>;
}

export function createPasswordHasher(
  cost: number = BCRYPT_COST,
): PasswordHasher {
  // Tests run with a lower cost; their dummy hash must match it, or unknown
  // accounts would be slower than wrong passwords.
  const limit = pLimit(MAX_CONCURRENT_HASHES);
  const dummyHash =
    cost === BCRYPT_COST
      ? DUMMY_HASH
      : bcrypt.hashSync(randomBytes(24).toString('base64'), cost);

  return {
    async hash(password) {
      return limit(() => bcrypt.hash(password, cost));
    },

    async verify(password, passwordHash) {
      const matches = await limit(() =>
        bcrypt.compare(password, passwordHash ?? dummyHash),
      );
      return passwordHash !== null && matches;
    },
  };
}
