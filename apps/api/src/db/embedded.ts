// An embedded PostgreSQL for development and tests without a database
// server: PGlite (PostgreSQL compiled to WebAssembly) served over the
// PostgreSQL wire protocol on 127.0.0.1, so Prisma, pg and psql connect to
// it like to any server. It needs no OS user and runs as any user.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

import { EmbeddedServer } from './embedded-server.js';

export interface EmbeddedPostgresOptions {
  /** Folder of the database files; `memory://` keeps them in memory. */
  dataDir: string;
  host?: string;
  /** TCP port; 0 picks a free one. Defaults to 54329. */
  port?: number;
  /** Concurrent client connections; defaults to 20. */
  maxConnections?: number;
}

export interface EmbeddedPostgres {
  /** postgres:// URL of the served database. */
  url: string;
  stop(): Promise<void>;
}

export const DEFAULT_EMBEDDED_PORT = 54329;

// The pool of each API process opens up to 10 connections, and the
// migration runner and test helpers open a few more.
const DEFAULT_MAX_CONNECTIONS = 20;

/** Raised when another running process has the data folder open. */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${ownerPid}. ` +
        'Stop that process or set EMBEDDED_DB_DIR to another folder.',
    );
    this.name = 'EmbeddedDatabaseInUseError';
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Two PGlite instances writing one folder would corrupt it, so the folder
// is locked with a file holding the owner's process id. A lock left by a
// process that no longer runs is taken over.
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = `${dataDir}.lock`;
  await mkdir(dirname(lockPath), { recursive: true });

  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;

      const owner = Number.parseInt(await readFile(lockPath, 'utf8'), 10);
      if (Number.isInteger(owner) && isProcessAlive(owner)) {
        throw new EmbeddedDatabaseInUseError(dataDir, owner);
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

/**
 * Opens (or creates) the PGlite database in `dataDir`, with the pg_trgm and
 * citext extensions available, and serves it on `host:port`. A second start
 * on the same folder reuses its data.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const host = options.host ?? '127.0.0.1';
  const inMemory = options.dataDir.startsWith('memory://');

  let unlock = async () => {};
  if (!inMemory) {
    await mkdir(options.dataDir, { recursive: true });
    unlock = await lockDataDir(options.dataDir);
  }

  let db: PGlite | undefined;
  try {
    db = await PGlite.create(options.dataDir, {
      extensions: { citext, pg_trgm },
    });
    const server = new EmbeddedServer({
      db,
      host,
      port: options.port ?? DEFAULT_EMBEDDED_PORT,
      maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    });
    await server.start();
    const database = db;

    return {
      url: `postgres://postgres@${server.connection}/postgres`,
      async stop() {
        await server.stop();
        await database.close();
        await unlock();
      },
    };
  } catch (error) {
    await db?.close().catch(() => {});
    await unlock();
    throw error;
  }
}
