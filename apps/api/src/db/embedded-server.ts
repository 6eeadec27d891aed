// The TCP front of the embedded database. PGlite runs one PostgreSQL session,
// so the messages of all client connections go through that session in turn.
//
// The queue of @electric-sql/pglite-socket 0.2.17 switches between clients
// after every message unless the session is inside a transaction block. An
// extended-protocol query (Parse, Bind, Describe, Execute, Sync) is several
// messages, so concurrent clients bound their parameters to each other's
// unnamed statements. This queue keeps the session with one client from its
// first message until PGlite sends ReadyForQuery with the idle status,
// which covers both a whole extended-protocol exchange and an explicit
// transaction. It reuses the library's per-socket handler for message
// framing and the SSL and cancel requests.
import { type Server, type Socket, createServer } from 'node:net';

import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

type HandlerOptions = ConstructorParameters<typeof PGLiteSocketHandler>[0];

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

const READY_FOR_QUERY = 0x5a; // 'Z'
const TRANSACTION_IDLE = 0x49; // 'I'

/**
 * Reads the backend messages that PGlite writes, in whatever chunks they
 * arrive, and records whether the last complete one was ReadyForQuery and
 * with which transaction status.
 */
export class ReadyForQueryTracker {
  private header = Buffer.alloc(5);
  private headerBytes = 0;
  private bodyRemaining = 0;
  private type = 0;
  private lastStatus: number | null = null;

  /** Transaction status byte of a final ReadyForQuery, or null without one. */
  get readyStatus(): number | null {
    return this.headerBytes === 0 && this.bodyRemaining === 0
      ? this.lastStatus
      : null;
  }

  push(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.bodyRemaining > 0) {
        const take = Math.min(this.bodyRemaining, chunk.length - offset);
        if (this.type === READY_FOR_QUERY)
          this.lastStatus = chunk[offset + take - 1]!;
        this.bodyRemaining -= take;
        offset += take;
        continue;
      }

      this.header[this.headerBytes] = chunk[offset]!;
      this.headerBytes += 1;
      offset += 1;
      if (this.headerBytes === 5) {
        this.type = this.header[0]!;
        // The length field counts itself but not the type byte.
        this.bodyRemaining = this.header.readInt32BE(1) - 4;
        this.headerBytes = 0;
        this.lastStatus = null;
      }
    }
  }
}

/** Builds a frontend message: type byte, length, body. */
function frontendMessage(
  type: string,
  body: Buffer = Buffer.alloc(0),
): Uint8Array {
  const message = Buffer.alloc(5 + body.length);
  message.write(type, 0, 'latin1');
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return new Uint8Array(message);
}

/**
 * Runs the messages of all connections on one PGlite session, one message
 * at a time, and gives the session to another connection only between
 * exchanges: after a ReadyForQuery that reports the idle state.
 */
export class ExchangeQueue {
  private queue: QueuedMessage[] = [];
  private processing = false;
  /** Handler whose exchange or transaction owns the session, if any. */
  private owner: number | null = null;
  /** Handlers whose sockets closed since the queue last ran dry. */
  private readonly closed = new Set<number>();

  constructor(private readonly db: PGlite) {}

  enqueue(
    handlerId: number,
    message: Uint8Array,
    onData: (data: Uint8Array) => void,
  ): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.processQueue();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((entry) => {
      if (entry.handlerId !== handlerId) return true;
      entry.reject(new Error('Handler disconnected'));
      return false;
    });
  }

  /**
   * Marks a connection as closed. When it owns the session, the queue rolls
   * back its exchange or transaction before it runs anyone else's messages.
   */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    this.closed.add(handlerId);
    await this.processQueue();
  }

  private nextMessage(): QueuedMessage | undefined {
    if (this.owner === null) return this.queue.shift();

    const index = this.queue.findIndex(
      (entry) => entry.handlerId === this.owner,
    );
    // The owner's next message has not arrived yet, so the others wait.
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async processQueue(): Promise<void> {
    if (this.processing) return;
    this.processing = true;

    try {
      for (;;) {
        if (this.owner !== null && this.closed.has(this.owner)) {
          await this.resetSession();
          this.owner = null;
        }
        const entry = this.nextMessage();
        if (!entry) break;
        await this.run(entry);
      }
      // No await since the last check, so no closed handler can own the
      // session here, and the ids of the others are no longer needed.
      this.closed.clear();
    } finally {
      this.processing = false;
    }
  }

  private async run(entry: QueuedMessage): Promise<void> {
    const tracker = new ReadyForQueryTracker();
    let bytes = 0;
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(entry.message, {
          onRawData: (data) => {
            bytes += data.length;
            tracker.push(data);
            entry.onData(data);
          },
        }),
      );
    } catch (error) {
      entry.reject(error as Error);
      return;
    }

    this.owner =
      tracker.readyStatus === TRANSACTION_IDLE ? null : entry.handlerId;
    entry.resolve(bytes);
  }

  /** Rolls back what a closed connection left unfinished in the session. */
  private async resetSession(): Promise<void> {
    const ignore = { onRawData: () => {} };
    // A simple-query ROLLBACK aborts an explicit transaction and the
    // implicit one of an Execute without its Sync. PostgreSQL skips it after
    // an extended-protocol error, and the Sync then ends that state.
    const rollback = frontendMessage('Q', Buffer.from('ROLLBACK\0', 'utf8'));
    try {
      await this.db.runExclusive(async () => {
        await this.db.execProtocolRawStream(rollback, ignore);
        await this.db.execProtocolRawStream(frontendMessage('S'), ignore);
        if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
      });
    } catch (error) {
      process.emitWarning(
        `Embedded database: rolling back a closed connection failed: ${String(error)}`,
      );
    }
  }
}

export interface EmbeddedServerOptions {
  db: PGlite;
  host: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  maxConnections: number;
}

/** ErrorResponse with SQLSTATE 53300, sent before closing a surplus connection. */
function tooManyConnectionsError(): Buffer {
  const fields = Buffer.from(
    'SFATAL\0VFATAL\0C53300\0Msorry, too many clients already\0\0',
    'utf8',
  );
  const message = Buffer.alloc(5 + fields.length);
  message.write('E', 0, 'latin1');
  message.writeInt32BE(4 + fields.length, 1);
  fields.copy(message, 5);
  return message;
}

/** Serves one PGlite database over the PostgreSQL wire protocol. */
export class EmbeddedServer {
  private readonly queue: ExchangeQueue;
  private readonly handlers = new Set<PGLiteSocketHandler>();
  private server: Server | null = null;
  private address = '';

  constructor(private readonly options: EmbeddedServerOptions) {
    this.queue = new ExchangeQueue(options.db);
  }

  /** host:port that the server listens on, after `start()`. */
  get connection(): string {
    return this.address;
  }

  async start(): Promise<void> {
    await this.options.db.waitReady;
    const server = createServer((socket) => this.accept(socket));
    this.server = server;

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const info = server.address();
    if (info === null || typeof info === 'string') {
      throw new Error('The embedded database server has no TCP address');
    }
    this.address = `${this.options.host}:${info.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    await Promise.all(
      [...this.handlers].map((handler) => handler.detach(true)),
    );
    this.handlers.clear();
    if (server)
      await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    if (!this.server || this.handlers.size >= this.options.maxConnections) {
      socket.end(tooManyConnectionsError());
      return;
    }

    const handler = new PGLiteSocketHandler({
      // The library types this option as its own queue class, whose private
      // members no other class can match. ExchangeQueue provides the three
      // methods that the handler calls.
      queryQueue: this.queue as unknown as HandlerOptions['queryQueue'],
      closeOnDetach: true,
    });
    this.handlers.add(handler);
    const release = () => this.handlers.delete(handler);
    handler.addEventListener('close', release);
    handler.addEventListener('error', release);
    handler.attach(socket).catch(() => {
      release();
      socket.destroy();
    });
  }
}
