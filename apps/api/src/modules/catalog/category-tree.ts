import type { CategoryNode } from './schemas.js';

/** Active category as loaded from the database, without its relations. */
export interface CategoryRecord {
  id: string;
  slug: string;
  name: string;
  description: string;
  parentId: string | null;
  sortOrder: number;
}

/**
 * Keeps the categories a shopper can reach: active roots and the active
 * children of reachable categories. An active category under an inactive
 * parent is hidden together with its parent. The input order (sortOrder,
 * then name) is kept at every level.
 */
export function selectReachableCategories(
  categories: CategoryRecord[],
): CategoryRecord[] {
  const childrenByParent = groupByParent(categories);
  const reachable: CategoryRecord[] = [];
  const visited = new Set<string>();
  const pending = [...(childrenByParent.get(null) ?? [])];

  // Breadth-first walk; the visited set also stops a parent cycle that
  // a bad manual edit could leave in the table.
  while (pending.length > 0) {
    const category = pending.shift()!;
    if (visited.has(category.id)) continue;

    visited.add(category.id);
    reachable.push(category);
    pending.push(...(childrenByParent.get(category.id) ?? []));
  }

  return reachable;
}

/** Builds the nested tree of reachable categories, roots first. */
export function buildCategoryTree(
  categories: CategoryRecord[],
): CategoryNode[] {
  const childrenByParent = groupByParent(categories);

  const toNode = (category: CategoryRecord): CategoryNode => ({
    id: category.id,
    slug: category.slug,
    name: category.name,
    description: category.description,
    children: (childrenByParent.get(category.id) ?? []).map(toNode),
  });

  return (childrenByParent.get(null) ?? []).map(toNode);
}

/** Returns the ids of a category and of all its descendants, at any depth. */
export function collectSubtreeIds(
  categories: CategoryRecord[],
  rootId: string,
): string[] {
  const childrenByParent = groupByParent(categories);
  const ids: string[] = [];
  const seen = new Set<string>();
  const pending = [rootId];

  while (pending.length > 0) {
    const id = pending.pop()!;
    if (seen.has(id)) continue;

    seen.add(id);
    ids.push(id);
    for (const child of childrenByParent.get(id) ?? []) pending.push(child.id);
  }

  return ids;
}

function groupByParent(
  categories: CategoryRecord[],
): Map<string | null, CategoryRecord[]> {
  const groups = new Map<string | null, CategoryRecord[]>();

  for (const category of categories) {
    const siblings = groups.get(category.parentId);
    if (siblings) siblings.push(category);
    else groups.set(category.parentId, [category]);
  }

  return groups;
}
