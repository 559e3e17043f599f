import Foundation
import Synchronization
import GRDB
import Testing
import XinyuStore

@Suite("SharedDatabase.migrate")
struct MigrationTests {
    /// Three migrations that log their own names, so order and repetition are visible.
    static let logging: [NamedMigration] = [
        NamedMigration("001-log") { db in
            try db.execute(sql: "CREATE TABLE log (seq INTEGER PRIMARY KEY, name TEXT NOT NULL)")
            try db.execute(sql: "INSERT INTO log (name) VALUES ('001-log')")
        },
        NamedMigration("002-second") { db in try db.execute(sql: "INSERT INTO log (name) VALUES ('002-second')") },
        NamedMigration("003-third") { db in try db.execute(sql: "INSERT INTO log (name) VALUES ('003-third')") },
    ]

    static func log(_ database: SharedDatabase) throws -> [String] {
        try database.readSync { try String.fetchAll($0, sql: "SELECT name FROM log ORDER BY seq") }
    }

    @Test("applies migrations in order, once; a second call is a no-op")
    func appliesInOrderOnce() throws {
        let database = try SharedDatabase.temporary()
        try database.migrate(owner: "plugin.a", Self.logging)
        let names = ["001-log", "002-second", "003-third"]
        #expect(try Self.log(database) == names)
        #expect(try database.appliedMigrations(owner: "plugin.a") == names)

        try database.migrate(owner: "plugin.a", Self.logging)
        #expect(try Self.log(database) == names)
        #expect(try database.appliedMigrations(owner: "plugin.a") == names)
    }

    @Test("a migration appended later runs alone, after the others")
    func appendedMigration() throws {
        let database = try SharedDatabase.temporary()
        try database.migrate(owner: "plugin.a", Self.logging)
        let fourth = NamedMigration("004-fourth") { db in
            try db.execute(sql: "INSERT INTO log (name) VALUES ('004-fourth')")
        }
        try database.migrate(owner: "plugin.a", Self.logging + [fourth])
        #expect(try Self.log(database) == ["001-log", "002-second", "003-third", "004-fourth"])
        #expect(try database.appliedMigrations(owner: "plugin.a").last == "004-fourth")
    }

    @Test("two owners with the same migration name don't collide, nor see each other's")
    func ownersAreSeparate() throws {
        let database = try SharedDatabase.temporary()
        try database.migrate(owner: "plugin.a", [NamedMigration("001") { try $0.execute(sql: "CREATE TABLE a_t (x)") }])
        try database.migrate(owner: "plugin.b", [NamedMigration("001") { try $0.execute(sql: "CREATE TABLE b_t (x)") }])
        // An owner with a different list still ignores the others' applied migrations.
        try database.migrate(owner: "plugin.c", [NamedMigration("other") { _ in }])
        #expect(try tableNames(database).isSuperset(of: ["a_t", "b_t"]))
        #expect(try database.appliedMigrations(owner: "plugin.a") == ["001"])
        #expect(try database.appliedMigrations(owner: "plugin.b") == ["001"])
        #expect(try database.appliedMigrations(owner: "plugin.c") == ["other"])
        #expect(try database.appliedMigrations(owner: "nobody") == [])
    }

    @Test("appliedMigrations on a file nobody migrated is empty")
    func appliedOnEmptyFile() throws {
        let database = try SharedDatabase.temporary()
        #expect(try database.appliedMigrations(owner: "core") == [])
    }

    @Test("a migration that throws rolls back, is not recorded, and later ones don't run")
    func failingMigrationRollsBack() throws {
        let database = try SharedDatabase.temporary()
        let broken: [NamedMigration] = [
            NamedMigration("001") { try $0.execute(sql: "CREATE TABLE first (x)") },
            NamedMigration("002") { db in
                try db.execute(sql: "CREATE TABLE second (x)")
                throw Boom()
            },
            NamedMigration("003") { try $0.execute(sql: "CREATE TABLE third (x)") },
        ]
        #expect(throws: Boom.self) { try database.migrate(owner: "plugin.a", broken) }
        #expect(try database.appliedMigrations(owner: "plugin.a") == ["001"])
        let tables = try tableNames(database)
        #expect(tables.contains("first"))
        #expect(!tables.contains("second"))
        #expect(!tables.contains("third"))

        // Fixed, the remaining migrations apply on the next call.
        var fixed = broken
        fixed[1] = NamedMigration("002") { try $0.execute(sql: "CREATE TABLE second (x)") }
        try database.migrate(owner: "plugin.a", fixed)
        #expect(try database.appliedMigrations(owner: "plugin.a") == ["001", "002", "003"])
    }

    @Test("a file migrated by a newer build of the same owner is refused")
    func newerDatabaseIsRefused() throws {
        let database = try SharedDatabase.temporary()
        try database.migrate(owner: "plugin.a", Self.logging)
        #expect(throws: StoreError.unknownAppliedMigrations(owner: "plugin.a", names: ["003-third"])) {
            try database.migrate(owner: "plugin.a", Array(Self.logging.prefix(2)))
        }
    }

    @Test("duplicate names in one list are refused before anything runs")
    func duplicateNames() throws {
        let database = try SharedDatabase.temporary()
        let twice = [NamedMigration("001") { _ in }, NamedMigration("001") { _ in }]
        #expect(throws: StoreError.duplicateMigrationName(owner: "plugin.a", name: "001")) {
            try database.migrate(owner: "plugin.a", twice)
        }
        #expect(try database.appliedMigrations(owner: "plugin.a") == [])
    }

    @Test("rebuilding a parent table does not cascade-delete child rows; foreign keys are back on after")
    func tableRebuildKeepsChildren() throws {
        let database = try SharedDatabase.temporary()
        let setup = NamedMigration("001") { db in
            try db.execute(sql: """
                CREATE TABLE parent (id INTEGER PRIMARY KEY);
                CREATE TABLE child (id INTEGER PRIMARY KEY,
                                    parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE);
                INSERT INTO parent (id) VALUES (1);
                INSERT INTO child (id, parent_id) VALUES (10, 1);
                """)
        }
        // SQLite's documented 12-step table rebuild, which drops the old parent table.
        let rebuild = NamedMigration("002") { db in
            try db.execute(sql: """
                CREATE TABLE parent_new (id INTEGER PRIMARY KEY, note TEXT);
                INSERT INTO parent_new (id) SELECT id FROM parent;
                DROP TABLE parent;
                ALTER TABLE parent_new RENAME TO parent;
                """)
        }
        try database.migrate(owner: "plugin.a", [setup, rebuild])
        #expect(try database.readSync { try Int.fetchOne($0, sql: "SELECT count(*) FROM child") } == 1)
        #expect(try database.writeSync { try Int.fetchOne($0, sql: "PRAGMA foreign_keys") } == 1)
    }

    @Test("a migration that leaves a foreign-key violation rolls back")
    func foreignKeyViolationRollsBack() throws {
        let database = try SharedDatabase.temporary()
        let setup = NamedMigration("001") { db in
            try db.execute(sql: """
                CREATE TABLE parent (id INTEGER PRIMARY KEY);
                CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id));
                """)
        }
        let orphan = NamedMigration("002") { try $0.execute(sql: "INSERT INTO child (id, parent_id) VALUES (1, 99)") }
        #expect(throws: (any Error).self) { try database.migrate(owner: "plugin.a", [setup, orphan]) }
        #expect(try database.appliedMigrations(owner: "plugin.a") == ["001"])
        #expect(try database.readSync { try Int.fetchOne($0, sql: "SELECT count(*) FROM child") } == 0)
        #expect(try database.writeSync { try Int.fetchOne($0, sql: "PRAGMA foreign_keys") } == 1)
    }

    @Test("concurrent migrate from several instances on one file applies each migration exactly once")
    func concurrentMigrate() throws {
        let path = try SharedDatabase.temporary().path
        // Each migration appends a row (not idempotent) and pauses, widening the window in which a
        // second process could decide from a stale applied set to run it again.
        let migrations = (1...12).map { index in
            NamedMigration(String(format: "%03d", index)) { db in
                if index == 1 {
                    try db.execute(sql: "CREATE TABLE runs (name TEXT NOT NULL)")
                }
                try db.execute(sql: "INSERT INTO runs (name) VALUES (?)", arguments: [String(format: "%03d", index)])
                usleep(3_000)
            }
        }
        let processes = try (0..<3).map { _ in try SharedDatabase.open(path: path) }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: processes.count) { index in
            do {
                try processes[index].migrate(owner: "plugin.a", migrations)
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let runs = try processes[0].readSync {
            try String.fetchAll($0, sql: "SELECT name FROM runs ORDER BY rowid")
        }
        #expect(runs == migrations.map(\.name))
        #expect(try processes[1].appliedMigrations(owner: "plugin.a") == migrations.map(\.name))
    }
}

@Suite("Several processes starting at once")
struct ConcurrentStartTests {
    @Test("opening a new file and migrating core from several instances at once succeeds everywhere")
    func concurrentOpenAndMigrateCore() throws {
        for _ in 0..<5 {
            let path = freshPath()
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do {
                    let database = try SharedDatabase.open(path: path)
                    try database.migrateCore()
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(failures.withLock { $0 } == [])
            let database = try SharedDatabase.open(path: path)
            #expect(try database.appliedMigrations(owner: "core").count == 5, "001…004 and 005-timers")
        }
    }
}
