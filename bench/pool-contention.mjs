// Shows that a jose HS256 sign waits behind queued bcrypt compares, because
// both run on the libuv thread pool. Queues 24 compares at cost 10, signs
// one token once the first compare has finished, and prints the timings
// in ms as JSON.
import bcrypt from 'bcrypt';
import { SignJWT } from 'jose';

const hash = await bcrypt.hash('password', 10);
const key = new TextEncoder().encode('k'.repeat(32));

const start = performance.now();
const compares = Array.from({ length: 24 }, () =>
  bcrypt.compare('password', hash),
);
await compares[0];
const firstCompareDone = performance.now();

await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(key);
const signDone = performance.now();

await Promise.all(compares);
const allComparesDone = performance.now();

process.stdout.write(
  `${JSON.stringify({
    firstCompareMs: Math.round(firstCompareDone - start),
    signAfterFirstCompareMs: Math.round(signDone - firstCompareDone),
    allComparesMs: Math.round(allComparesDone - start),
  })}\n`,
);
