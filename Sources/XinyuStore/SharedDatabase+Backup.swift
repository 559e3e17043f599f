import Foundation
import GRDB

extension SharedDatabase {
    /// Copies this database into a new file at `path` with SQLite's online backup API, while other
    /// connections and processes keep reading and writing; returns the copy's size in bytes.
    ///
    /// The copy is made in one backup step inside one read transaction on a reader connection,
    /// so it is one consistent snapshot (the last commit before the step began) and writers are
    /// never blocked (WAL). The copy is an ordinary rollback-journal file with no `-wal` beside
    /// it, ready to be put in place of the live file. Throws if `path` exists: a backup never
    /// overwrites anything.
    public func backup(to path: String) throws -> UInt64 {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: path])
        }
        let destination = try DatabaseQueue(path: path)
        try pool.backup(to: destination)
        try destination.close()
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber
        return size?.uint64Value ?? 0
    }

    /// SQLite's `PRAGMA quick_check` (or `integrity_check` when `thorough`): the problems it
    /// reports, at most `limit`, or an empty list when the file is sound.
    ///
    /// quick_check reads every page and checks the b-tree structure but not that each index
    /// matches its table; it is O(file size) and takes about a second per few hundred MiB.
    public func integrityProblems(thorough: Bool = false, limit: Int = 5) throws -> [String] {
        try readSync { db in
            let pragma = thorough ? "integrity_check" : "quick_check"
            let rows = try String.fetchAll(db, sql: "PRAGMA \(pragma)(\(max(1, limit)))")
            // SQLite heads the list with "*** in database main ***": a heading, not a problem.
            let problems = rows.flatMap { $0.split(separator: "\n").map(String.init) }
                .filter { $0 != "ok" && !$0.hasPrefix("*** in database") }
            return Array(problems.prefix(limit))
        }
    }
}
