import { defineConfig } from 'prisma/config';

// `prisma migrate deploy` and `prisma migrate status` read the database URL
// from here. `prisma generate` needs none, so an unset DATABASE_URL leaves
// the datasource out instead of failing the install.
const databaseUrl = process.env.DATABASE_URL;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: databaseUrl ? { url: databaseUrl } : undefined,
});
