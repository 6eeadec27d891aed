import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import type { Db } from '../cart/service.js';
import { invalidField } from './products.js';
import type {
  AdminCategory,
  CreateCategoryBody,
  UpdateCategoryBody,
} from './schemas.js';

// Key of the transaction-scoped advisory lock taken by every change of a
// category's parent, so two concurrent moves cannot build a cycle that
// neither would build alone.
const CATEGORY_TREE_LOCK_KEY = 7_346_021_914n;

/** Lists every category, active or not, as a flat list. */
export async function listAdminCategories(db: Db): Promise<AdminCategory[]> {
  return db.category.findMany({
    orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }, { id: 'asc' }],
  });
}

export async function createAdminCategory(
  db: Db,
  body: CreateCategoryBody,
): Promise<AdminCategory> {
  await checkSlugFree(db, null, body.slug);
  if (body.parentId !== null) {
    await checkParentExists(db, body.parentId);
  }
  return db.category.create({ data: body });
}

/**
 * Changes the given fields of a category. Returns null when it does not
 * exist. Raises CONFLICT for a used slug or for a parent that would put
 * the category under itself.
 */
export async function updateAdminCategory(
  prisma: PrismaClient,
  id: string,
  body: UpdateCategoryBody,
): Promise<AdminCategory | null> {
  return prisma.$transaction(async (tx) => {
    const current = await tx.category.findUnique({ where: { id } });
    if (current === null) return null;

    if (body.slug !== undefined) {
      await checkSlugFree(tx, id, body.slug);
    }
    if (body.parentId !== undefined && body.parentId !== null) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CATEGORY_TREE_LOCK_KEY}::bigint)`;
      await checkParentExists(tx, body.parentId);
      await checkNoCycle(tx, id, body.parentId);
    }

    return tx.category.update({ where: { id }, data: body });
  });
}

/** Marks a category inactive, which hides it from the shop's tree. */
export async function archiveAdminCategory(
  db: Db,
  id: string,
): Promise<AdminCategory | null> {
  const { count } = await db.category.updateMany({
    where: { id },
    data: { active: false },
  });
  return count === 0 ? null : db.category.findUnique({ where: { id } });
}

async function checkSlugFree(db: Db, id: string | null, slug: string) {
  const clash = await db.category.findFirst({
    where: { slug, ...(id === null ? {} : { NOT: { id } }) },
    select: { id: true },
  });
  if (clash !== null) {
    throw new AppError('CONFLICT', 'Another category already uses this slug.');
  }
}

async function checkParentExists(db: Db, parentId: string) {
  const parent = await db.category.findUnique({
    where: { id: parentId },
    select: { id: true },
  });
  if (parent === null) {
    throw invalidField('body.parentId', 'No category has this id.');
  }
}

// Walks up from the new parent to the root. Meeting the category itself on
// the way means the move would make it its own ancestor.
async function checkNoCycle(db: Db, id: string, parentId: string) {
  const rows = await db.category.findMany({
    select: { id: true, parentId: true },
  });
  const parentOf = new Map(rows.map((row) => [row.id, row.parentId]));

  let current: string | null | undefined = parentId;
  for (let steps = 0; current != null && steps <= rows.length; steps += 1) {
    if (current === id) {
      throw new AppError(
        'CONFLICT',
        'A category cannot be moved under itself or one of its subcategories.',
      );
    }
    current = parentOf.get(current);
  }
}
