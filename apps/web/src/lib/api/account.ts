import { apiRequest, toQuery } from './client';
import type {
  Cart,
  Order,
  OrderSummary,
  Paged,
  ShippingAddress,
  TokenPair,
  User,
} from './types';

interface Ctx {
  accessToken: string | null;
  clientIp: string | null;
}

export function login(
  body: { email: string; password: string },
  clientIp: string | null,
) {
  return apiRequest<TokenPair>('/api/auth/login', {
    method: 'POST',
    body,
    clientIp,
  });
}

export function register(
  body: { email: string; password: string; name: string },
  clientIp: string | null,
) {
  return apiRequest<{ status: string; message: string }>('/api/auth/register', {
    method: 'POST',
    body,
    clientIp,
  });
}

export function logout(refreshToken: string, clientIp: string | null) {
  return apiRequest<void>('/api/auth/logout', {
    method: 'POST',
    body: { refreshToken },
    clientIp,
  });
}

export function updateProfile(body: { name: string }, ctx: Ctx) {
  return apiRequest<User>('/api/auth/me', { method: 'PATCH', body, ...ctx });
}

export function changePassword(
  body: { currentPassword: string; newPassword: string },
  ctx: Ctx,
) {
  return apiRequest<TokenPair>('/api/auth/change-password', {
    method: 'POST',
    body,
    ...ctx,
  });
}

export function getCart(ctx: Ctx) {
  return apiRequest<Cart>('/api/cart', ctx);
}

export function addCartItem(
  body: { productId: string; quantity: number },
  ctx: Ctx,
) {
  return apiRequest<Cart>('/api/cart/items', { method: 'POST', body, ...ctx });
}

export function setCartItemQuantity(
  productId: string,
  quantity: number,
  ctx: Ctx,
) {
  return apiRequest<Cart>(`/api/cart/items/${encodeURIComponent(productId)}`, {
    method: 'PATCH',
    body: { quantity },
    ...ctx,
  });
}

export function removeCartItem(productId: string, ctx: Ctx) {
  return apiRequest<Cart>(`/api/cart/items/${encodeURIComponent(productId)}`, {
    method: 'DELETE',
    ...ctx,
  });
}

export function placeOrder(
  body: {
    shippingAddress: ShippingAddress;
    payment: { method: 'mock_card'; cardToken?: string };
  },
  idempotencyKey: string,
  ctx: Ctx,
) {
  return apiRequest<Order>('/api/orders', {
    method: 'POST',
    body,
    idempotencyKey,
    ...ctx,
  });
}

export function listOrders(query: { page?: number; limit?: number }, ctx: Ctx) {
  return apiRequest<Paged<OrderSummary>>(`/api/orders${toQuery(query)}`, ctx);
}

export function getOrder(orderNumber: string, ctx: Ctx) {
  return apiRequest<Order>(
    `/api/orders/${encodeURIComponent(orderNumber)}`,
    ctx,
  );
}

export function cancelOrder(orderNumber: string, ctx: Ctx) {
  return apiRequest<Order>(
    `/api/orders/${encodeURIComponent(orderNumber)}/cancel`,
    {
      method: 'POST',
      ...ctx,
    },
  );
}
