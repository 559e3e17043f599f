import Foundation
import GRDB

/// The shared SQLite database (one file, many processes).
///
/// The host and every plugin process open the same file; SQLite's file locks, not this class, keep them apart.
/// Writes from all processes are serialised by SQLite's single write lock: a writer that finds it taken waits
/// up to the busy timeout, then fails with `SQLITE_BUSY` instead of waiting forever.
/// Reads run concurrently with writes on separate connections (WAL) and see the last committed state.
public final class SharedDatabase: Sendable {
    /// The database file this instance opened.
    public let path: String

    /// GRDB's pool: one writer connection plus up to five reader connections.
    /// `DatabasePool` is `Sendable` (GRDB serialises every connection on its own queue).
    let pool: DatabasePool

    /// Shares transactions between concurrent `groupWrite` callers (see ``GroupCommitWriter``).
    let groupCommit: GroupCommitWriter

    /// Each reading thread's own read-only connection (see ``ThreadReaders``).
    let threadReaders: ThreadReaders

    private init(path: String, pool: DatabasePool, readerConfiguration: Configuration) {
        self.path = path
        self.pool = pool
        groupCommit = GroupCommitWriter(pool: pool)
        threadReaders = ThreadReaders(path: path, configuration: readerConfiguration)
    }

    /// Opens the database at `path`, creating the file and its parent folders if needed.
    ///
    /// Every connection, reader and writer, runs with `journal_mode=WAL`, `foreign_keys=ON` and
    /// `synchronous=FULL`. In WAL mode FULL fsyncs the log on every commit, so an acknowledged commit
    /// survives power loss; SQLite's usual NORMAL could lose the last commits, and these are
    /// children's records. A writer that finds another process holding the write lock polls for
    /// it (``LockWait``) up to `busyTimeout` before failing.
    /// This does not create any tables: call `migrateCore()` and the owners' `migrate(owner:_:)`.
    public static func open(path: String, busyTimeout: Duration = .seconds(10)) throws -> SharedDatabase {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)

        var configuration = Configuration()
        configuration.label = "xinyu.store"
        configuration.foreignKeysEnabled = true
        configuration.journalMode = .wal
        configuration.busyMode = .callback(LockWait(timeout: busyTimeout).busyCallback)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if db.configuration.readonly {
                // Readers keep 512 KiB of pages each instead of SQLite's 2 MiB: with up to five
                // readers per process that default alone could pass a plugin's 32 MiB budget
                // (issue 5). The OS page cache still holds the file, so misses stay cheap.
                try db.execute(sql: "PRAGMA cache_size = -512")
            }
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        // DatabasePool switches the writer to WAL after prepareDatabase ran, and sets
        // synchronous=NORMAL while doing so: put FULL back, or commits could be lost on power loss.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        var readerConfiguration = configuration
        readerConfiguration.readonly = true
        readerConfiguration.journalMode = .default  // the file is in WAL already; a reader cannot change it
        readerConfiguration.label = "xinyu.store.thread-reader"
        return SharedDatabase(path: path, pool: pool, readerConfiguration: readerConfiguration)
    }

    /// Opens a fresh database in a new file under the system's temporary folder, for tests.
    ///
    /// The file is never removed by this class; the operating system cleans its temporary folder.
    public static func temporary() throws -> SharedDatabase {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("xinyu-store-\(UUID().uuidString)", isDirectory: true)
        return try open(path: folder.appendingPathComponent("xinyu.sqlite").path)
    }

    /// Runs `body` on a reader connection, in a read transaction that sees one committed state.
    ///
    /// Writes inside `body` fail: reader connections are read-only.
    ///
    /// `body` runs on the calling thread (GRDB's synchronous read, whose `DispatchQueue.sync`
    /// runs the block in place), not on a hop to the reader's queue and back: for a point read
    /// the two thread switches cost more than the query (issue 5 profile: ~30 % of the crisis
    /// plugin's CPU under W1 was futex wake-ups). The price is that a long read holds one of
    /// the task pool's threads while it runs; keep reads that take tens of milliseconds rare.
    public func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try readSync(body)
    }

    /// Runs `body` in one IMMEDIATE write transaction: it commits if `body` returns and rolls back if it throws.
    ///
    /// IMMEDIATE takes the write lock before `body` reads anything, so what `body` reads cannot be changed
    /// by another process before it commits (a DEFERRED transaction could fail at its first write instead).
    public func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await pool.writeWithoutTransaction { db in
            try Self.inImmediateTransaction(db, body)
        }
    }

    /// Like `write(_:)`, but concurrent callers share one transaction and one fsync (group commit).
    ///
    /// `body` runs in its own SAVEPOINT inside that transaction: if it throws, only its own
    /// changes are rolled back. This returns only after the shared transaction committed, so a
    /// returned value is exactly as durable as one from `write(_:)`. Writes from one caller run
    /// in the order they were made; `body` sees the changes of writes grouped before it.
    public func groupWrite<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await groupCommit.write(body)
    }

    /// Like `read(_:)`, blocking the calling thread; never call it from inside another access to this database.
    public func readSync<T>(_ body: (Database) throws -> T) throws -> T {
        if let reader = threadReaders.claim() {
            defer { threadReaders.release(reader) }
            return try reader.queue.read(body)
        }
        return try pool.read(body)
    }

    /// Runs `body` on the writer connection outside any transaction, blocking the calling
    /// thread: for statements SQLite refuses inside one (ATTACH, DETACH). `body` opens its own
    /// transactions.
    public func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction(body)
    }

    /// Like `write(_:)`, blocking the calling thread; never call it from inside another access to this database.
    public func writeSync<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            try Self.inImmediateTransaction(db, body)
        }
    }

    /// Runs `body` in an IMMEDIATE transaction on `db` and returns its result.
    static func inImmediateTransaction<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        var result: T?
        try db.inTransaction(.immediate) {
            result = try body(db)
            return .commit
        }
        guard let result else {
            // inTransaction runs the closure exactly once or throws, so this cannot happen.
            preconditionFailure("transaction committed without running its body")
        }
        return result
    }
}
