export type Role = 'customer' | 'admin';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Lifetime of the access token in seconds. */
  expiresIn: number;
  user: User;
}

export interface Paged<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

export interface CategoryNode {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  children: CategoryNode[];
}

export interface CategoryPage {
  category: {
    id: string;
    slug: string;
    name: string;
    description: string | null;
    parent: { slug: string; name: string } | null;
    children: { slug: string; name: string }[];
  };
  products: Paged<ProductSummary>;
}

export interface ProductSummary {
  id: string;
  slug: string;
  sku: string;
  name: string;
  priceCents: number;
  compareAtPriceCents: number | null;
  currency: string;
  stock: number;
  inStock: boolean;
  featured: boolean;
  imageUrl: string | null;
  category: { slug: string; name: string };
}

export type ProductStatus = 'draft' | 'active' | 'archived';

export interface Product extends ProductSummary {
  description: string;
  images: string[];
  status: ProductStatus;
}

export interface AdminProduct extends Product {
  categoryId: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface AdminCategory {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  parentId: string | null;
  sortOrder: number;
  active: boolean;
}

export interface CartItem {
  productId: string;
  slug: string;
  name: string;
  sku: string;
  imageUrl: string | null;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
  stock: number;
}

export interface Cart {
  items: CartItem[];
  subtotalCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  currency: string;
  itemCount: number;
}

export type OrderStatus =
  'pending' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';

export interface ShippingAddress {
  fullName: string;
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  country: string;
}

export interface OrderSummary {
  id: string;
  number: string;
  status: OrderStatus;
  totalCents: number;
  currency: string;
  itemCount: number;
  createdAt: string;
}

export interface AdminOrderSummary extends OrderSummary {
  customerEmail: string;
}

export interface Order {
  id: string;
  number: string;
  status: OrderStatus;
  items: {
    productId: string;
    sku: string;
    name: string;
    unitPriceCents: number;
    quantity: number;
    lineTotalCents: number;
  }[];
  subtotalCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  currency: string;
  shippingAddress: ShippingAddress;
  createdAt: string;
  paidAt: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
  cancelledAt: string | null;
  customerEmail?: string;
}

export interface SalesReport {
  days: { date: string; orders: number; revenueCents: number }[];
  topProducts: {
    productId: string;
    sku: string;
    name: string;
    quantity: number;
    revenueCents: number;
  }[];
  totals: { orders: number; revenueCents: number };
}

/** Order status changes an admin may make, per the API's state machine. */
export const ORDER_TRANSITIONS: Record<OrderStatus, OrderStatus[]> = {
  pending: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled', 'refunded'],
  shipped: ['delivered'],
  delivered: ['refunded'],
  cancelled: [],
  refunded: [],
};
