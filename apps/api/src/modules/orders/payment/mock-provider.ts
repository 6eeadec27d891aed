import { randomUUID } from 'node:crypto';
import type {
  PaymentProvider,
  PaymentRequest,
  PaymentResult,
} from './provider.js';

/** Card token that the mock provider always declines, for tests and demos. */
export const DECLINED_CARD_TOKEN = 'tok_declined';

/**
 * Payment provider that moves no money: every charge succeeds except those
 * made with `tok_declined`.
 */
export function createMockPaymentProvider(): PaymentProvider {
  return {
    name: 'mock',
    async charge(request: PaymentRequest): Promise<PaymentResult> {
      if (request.cardToken === DECLINED_CARD_TOKEN) {
        return { status: 'failed', reason: 'The card was declined.' };
      }
      return { status: 'succeeded', reference: `mock_${randomUUID()}` };
    },
  };
}
