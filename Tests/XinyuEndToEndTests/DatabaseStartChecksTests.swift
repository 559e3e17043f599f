import Foundation
import GRDB
import NIOConcurrencyHelpers
import Testing
import XinyuChildProcess
import XinyuStore

/// What the real `xinyu-host` does at start-up with a database it must not run on: a file a
/// newer release wrote, and a damaged file. Both stop the start (exit 70) with a message that
/// names what is wrong and what to do, and leave the file as it was.
@Suite("Database start-up checks")
struct DatabaseStartChecksTests {
    /// A folder with the shipped roles and a configuration whose files all live in it.
    static func folder() throws -> (dir: URL, config: String, database: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-start-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = dir.appendingPathComponent("xinyu.toml").path
        try """
            [host]
            socket = "\(dir.path)/x.sock"
            database = "\(dir.path)/xinyu.sqlite"
            runtime_dir = "\(dir.path)/run"
            [plugins]
            enabled = []
            [security]
            roles_file = "\(RunningHost.repositoryConfig.appendingPathComponent("roles.toml").path)"
            operator_token_file = "\(dir.path)/operator.token"
            audit_key_file = "\(dir.path)/audit.key"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        return (dir, config, dir.appendingPathComponent("xinyu.sqlite").path)
    }

    static func runHost(config: String, in dir: URL) async throws -> (status: Int32, stderr: String) {
        let stderr = NIOLockedValueBox("")
        let host = try ChildProcess.spawn(
            executable: RunningHost.binDirectory.appendingPathComponent("xinyu-host").path, arguments: ["--config", config, "--stop-at-stdin-eof"],
            workingDirectory: dir.path, standardInput: .pipe,
            standardError: .lines { line in stderr.withLockedValue { $0 += line + "\n" } })
        // A host that did start would run until its standard input closes: close it at once so
        // that a failing test ends instead of hanging.
        host.closeStandardInput()
        let status = await host.waitForExit()
        return (status.shellCode, stderr.withLockedValue { $0 })
    }

    @Test("a database a newer release wrote is refused, naming both releases, and is left untouched")
    func newerDatabaseRefused() async throws {
        let (dir, config, path) = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = try SharedDatabase.open(path: path)
        try WriterVersionStamp.checkAndStamp(database, running: SoftwareVersion("99.2.0"), nowMs: 1)

        let result = try await Self.runHost(config: config, in: dir)
        #expect(result.status == 70)
        #expect(result.stderr.contains("host.database: \(path) was written by xinyu-host 99.2.0, and this is xinyu-host 0.1.0"), "\(result.stderr)")
        #expect(result.stderr.contains("forward-only"))
        #expect(try WriterVersionStamp.recorded(in: database)?.text == "99.2.0")
        #expect(try database.appliedMigrations(owner: "core").isEmpty, "the refused host must not migrate the file")
    }

    @Test("a database this release or an older one wrote starts and is stamped with this release")
    func olderDatabaseStarts() async throws {
        let (dir, config, path) = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = try SharedDatabase.open(path: path)
        try WriterVersionStamp.checkAndStamp(database, running: SoftwareVersion("0.0.9"), nowMs: 1)
        let stderr = NIOLockedValueBox("")
        let stdout = NIOLockedValueBox("")
        let changes = ChangeSignal()
        let host = try ChildProcess.spawn(
            executable: RunningHost.binDirectory.appendingPathComponent("xinyu-host").path, arguments: ["--config", config, "--stop-at-stdin-eof"],
            workingDirectory: dir.path, standardInput: .pipe,
            standardOutput: .lines { line in stdout.withLockedValue { $0 += line + "\n" }; changes.ring() },
            standardError: .lines { line in stderr.withLockedValue { $0 += line + "\n" }; changes.ring() })
        host.onExit { _ in changes.ring() }
        try await changes.wait(for: "ready line", timeout: .seconds(30)) { stdout.withLockedValue { $0 }.contains("ready:") || host.exitStatus != nil }
        #expect(stdout.withLockedValue { $0 }.contains("ready:"), "\(stderr.withLockedValue { $0 })")
        host.closeStandardInput()
        #expect(await host.waitForExit().shellCode == 0)
        #expect(try WriterVersionStamp.recorded(in: database)?.text == "0.1.0")
    }

    @Test("a damaged database is refused with what SQLite found and how to restore")
    func damagedDatabaseRefused() async throws {
        let (dir, config, path) = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A rollback-journal file with one table over several pages, then garbage over the
        // cell pointers of its first leaf page (page 3): the b-tree no longer adds up.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)")
            for _ in 0..<500 { try db.execute(sql: "INSERT INTO t (s) VALUES (?)", arguments: [String(repeating: "x", count: 200)]) }
        }
        let pageSize = try await queue.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096 }
        try queue.close()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for offset in (2 * pageSize + 8)..<(2 * pageSize + 40) { bytes[offset] = 0xEE }
        try bytes.write(to: URL(fileURLWithPath: path))

        let result = try await Self.runHost(config: config, in: dir)
        #expect(result.status == 70)
        #expect(result.stderr.contains("host.database: \(path) failed SQLite's integrity check (PRAGMA quick_check)"), "\(result.stderr)")
        #expect(result.stderr.contains("restore the latest backup as docs/OPERATIONS.md says"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("operator.token").path), "nothing may start on a damaged file")
    }
}
