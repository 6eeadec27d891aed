// Demo catalog (and, in development, two accounts) for a new database.
// Every write is an upsert keyed by slug, SKU or email, so seeding twice
// changes nothing.
import { readFile } from 'node:fs/promises';

import bcrypt from 'bcrypt';

import type {
  PrismaClient,
  ProductStatus,
} from '../generated/prisma/client.js';

const seedDataDir = new URL('../../prisma/seed-data/', import.meta.url);

/** bcrypt cost of seeded passwords, the same as for registered users. */
const BCRYPT_COST = 12;

interface CategorySeed {
  slug: string;
  name: string;
  description: string;
  /** Slug of the parent category; null for a top-level category. */
  parent: string | null;
  sortOrder: number;
}

interface ProductSeed {
  sku: string;
  slug: string;
  name: string;
  description: string;
  priceCents: number;
  compareAtPriceCents?: number;
  stock: number;
  status: ProductStatus;
  featured: boolean;
  /** Slug of the product's category. */
  category: string;
  /** File names under apps/api/assets/products. */
  images: string[];
}

export interface SeedAccount {
  email: string;
  password: string;
  role: 'admin' | 'customer';
}

export interface SeedResult {
  categories: number;
  products: number;
  accounts: SeedAccount[];
}

// Development-only credentials, printed at startup. They are never created
// in production because the callers pass `withDevAccounts: false` there.
const DEV_ACCOUNTS: (SeedAccount & { name: string })[] = [
  {
    email: 'admin@shop.test',
    password: 'dev-admin-password',
    role: 'admin',
    name: 'Demo Admin',
  },
  {
    email: 'customer@shop.test',
    password: 'dev-customer-password',
    role: 'customer',
    name: 'Demo Customer',
  },
];

async function readSeedFile<T>(name: string): Promise<T> {
  const text = await readFile(new URL(name, seedDataDir), 'utf8');
  return JSON.parse(text) as T;
}

// Parents are listed before their children in categories.json, so each
// parent id is known when its children are written.
async function seedCategories(
  prisma: PrismaClient,
  categories: CategorySeed[],
): Promise<Map<string, string>> {
  const idsBySlug = new Map<string, string>();

  for (const category of categories) {
    const parentId = category.parent ? idsBySlug.get(category.parent) : null;
    if (parentId === undefined) {
      throw new Error(
        `Seed category ${category.slug} names parent ${category.parent}, which is not listed before it`,
      );
    }

    const data = {
      name: category.name,
      description: category.description,
      sortOrder: category.sortOrder,
      parentId,
    };
    const row = await prisma.category.upsert({
      where: { slug: category.slug },
      create: { slug: category.slug, ...data },
      update: data,
      select: { id: true },
    });
    idsBySlug.set(category.slug, row.id);
  }
  return idsBySlug;
}

// An existing product keeps its stock, so reseeding a development database
// does not undo the stock changes that orders made.
async function seedProducts(
  prisma: PrismaClient,
  products: ProductSeed[],
  categoryIds: Map<string, string>,
): Promise<void> {
  for (const product of products) {
    const categoryId = categoryIds.get(product.category);
    if (!categoryId) {
      throw new Error(
        `Seed product ${product.sku} names unknown category ${product.category}`,
      );
    }

    const data = {
      slug: product.slug,
      name: product.name,
      description: product.description,
      priceCents: product.priceCents,
      compareAtPriceCents: product.compareAtPriceCents ?? null,
      currency: 'EUR',
      status: product.status,
      featured: product.featured,
      images: product.images,
      categoryId,
    };
    await prisma.product.upsert({
      where: { sku: product.sku },
      create: { sku: product.sku, stock: product.stock, ...data },
      update: data,
    });
  }
}

// The password hash is rewritten on every run, so the printed credentials
// always work, even after someone changed the password.
async function seedDevAccounts(prisma: PrismaClient): Promise<SeedAccount[]> {
  for (const account of DEV_ACCOUNTS) {
    const passwordHash = await bcrypt.hash(account.password, BCRYPT_COST);
    await prisma.user.upsert({
      where: { email: account.email },
      create: {
        email: account.email,
        name: account.name,
        role: account.role,
        passwordHash,
      },
      update: { role: account.role, active: true, passwordHash },
    });
  }

  return DEV_ACCOUNTS.map(({ email, password, role }) => ({
    email,
    password,
    role,
  }));
}

/**
 * Writes the demo categories and products, and with `withDevAccounts` the
 * admin and customer accounts of development, whose credentials it
 * returns. Safe to run on a database that was seeded before.
 */
export async function seedDatabase(
  prisma: PrismaClient,
  options: { withDevAccounts: boolean },
): Promise<SeedResult> {
  const categories = await readSeedFile<CategorySeed[]>('categories.json');
  const products = await readSeedFile<ProductSeed[]>('products.json');

  const categoryIds = await seedCategories(prisma, categories);
  await seedProducts(prisma, products, categoryIds);
  const accounts = options.withDevAccounts ? await seedDevAccounts(prisma) : [];

  return { categories: categories.length, products: products.length, accounts };
}
