// Loads Prisma's schema engine compiled to WebAssembly
// (@prisma/schema-engine-wasm) so migrations can be diffed without the
// native engine binary, which these machines cannot download. The package
// targets bundlers (it imports the .wasm file as a module), which Node 20
// cannot load, so the module is instantiated here by hand.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';

export const schemaPath = fileURLToPath(
  new URL('../prisma/schema.prisma', import.meta.url),
);

type SchemaEngine = engineBindings.SchemaEngine;

// The TypeScript lib of this project (ES2023, no DOM) does not declare the
// WebAssembly global, so the two constructors used here are typed locally.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, object>,
  ) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let initialized = false;

function initializeWasm(): void {
  if (initialized) return;

  // The engine reports Rust panics through this global before throwing.
  const registry = {
    message: '',
    set_message(message: string) {
      this.message = message;
    },
  };
  (
    globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }
  ).PRISMA_WASM_PANIC_REGISTRY ??= registry;

  const wasmUrl = new URL(
    'schema_engine_bg.wasm',
    import.meta.resolve('@prisma/schema-engine-wasm'),
  );
  const module = new wasmApi.Module(readFileSync(wasmUrl));
  const instance = new wasmApi.Instance(module, {
    './schema_engine_bg.js': engineBindings,
  });
  engineBindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  initialized = true;
}

// PostgreSQL type oids: "char" (the one-byte type of catalog columns such
// as pg_constraint.contype) and text.
const CHAR_OID = 18;
const TEXT_OID = 25;

// The engine reads PostgreSQL's catalogs, whose flag columns have the
// one-byte "char" type, and @prisma/adapter-pg 7.10 rejects that type as
// unsupported. Reported as text, the values arrive as one-letter strings,
// which is what the engine expects.
function createIntrospectionPool(databaseUrl: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const query = pool.query.bind(pool) as (
    ...args: unknown[]
  ) => Promise<pg.QueryResult>;

  (pool as unknown as { query: typeof query }).query = async (...args) => {
    const result = await query(...args);
    for (const field of result.fields ?? []) {
      if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
    return result;
  };
  return pool;
}

export interface SchemaEngineHandle {
  engine: SchemaEngine;
  schema: string;
  close(): Promise<void>;
}

/**
 * Starts a schema engine that reaches PostgreSQL at `databaseUrl` through
 * the pg driver adapter and loads the Prisma schema (by default the
 * committed one).
 */
export async function openSchemaEngine(
  databaseUrl: string,
  schema?: string,
): Promise<SchemaEngineHandle> {
  initializeWasm();

  const datamodel = schema ?? (await readFile(schemaPath, 'utf8'));
  const pool = createIntrospectionPool(databaseUrl);
  const factory = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
  const engine = await engineBindings.SchemaEngine.new(
    { datamodels: [['schema.prisma', datamodel]] },
    () => {},
    factory,
  );

  return {
    engine,
    schema: datamodel,
    async close() {
      engine.free();
      await pool.end();
    },
  };
}

const noFilters = { externalTables: [], externalEnums: [] };

/** Returns the SQL that turns an empty database into the schema. */
export async function diffEmptyToSchema(
  handle: SchemaEngineHandle,
): Promise<string> {
  const result = await handle.engine.diff({
    from: { tag: 'empty' },
    to: {
      tag: 'schemaDatamodel',
      files: [{ path: 'schema.prisma', content: handle.schema }],
    },
    script: true,
    exitCode: null,
    filters: noFilters,
  });

  return result.stdout ?? '';
}

/**
 * Returns the SQL that turns the database the engine is connected to into
 * the schema, or an empty string when both already match.
 */
export async function diffDatabaseToSchema(
  handle: SchemaEngineHandle,
): Promise<string> {
  // `schemaDatasource` means the live database behind the driver adapter.
  // The Wasm engine rejects the `url` target.
  const result = await handle.engine.diff({
    from: {
      tag: 'schemaDatasource',
      files: [{ path: 'schema.prisma', content: handle.schema }],
      configDir: process.cwd(),
    },
    to: {
      tag: 'schemaDatamodel',
      files: [{ path: 'schema.prisma', content: handle.schema }],
    },
    script: true,
    exitCode: null,
    filters: noFilters,
  });

  return result.stdout ?? '';
}

/**
 * Runs Prisma's own check of the `_prisma_migrations` table against the
 * migrations folder: the names of edited and failed migrations, and
 * `history: null` when both agree.
 */
export async function diagnoseMigrationHistory(
  handle: SchemaEngineHandle,
  migrationsDir: string,
  migrations: { name: string; sql: string }[],
) {
  const lockfilePath = join(migrationsDir, 'migration_lock.toml');

  return handle.engine.diagnoseMigrationHistory({
    migrationsList: {
      baseDir: migrationsDir,
      lockfile: {
        path: 'migration_lock.toml',
        content: await readFile(lockfilePath, 'utf8').catch(() => null),
      },
      shadowDbInitScript: '',
      migrationDirectories: migrations.map((migration) => ({
        path: migration.name,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok', value: migration.sql },
        },
      })),
    },
    optInToShadowDatabase: false,
    filters: noFilters,
  });
}

/** Tells whether a diff script contains any statement, not only comments. */
export function hasStatements(script: string): boolean {
  return script
    .split('\n')
    .some((line) => line.trim() !== '' && !line.trim().startsWith('--'));
}
