import Foundation
import Testing

/// The directory owns its tables: outside the directory module (and the host, which serves it),
/// no source or test writes a `directory_*` table with SQL. Tests that need a directory seed it
/// through the directory's API or `DirectorySeed`, so a change to the directory's tables breaks
/// one place, not every plugin's tests.
@Suite("Directory tables are written only by the directory")
struct DirectoryOwnershipTests {
    /// The repository root, from this file's path (Tests/XinyuDirectoryTests/<file>).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Folders allowed to write the tables: the directory itself and the host that serves it.
    static let owners = ["Sources/XinyuDirectory/", "Sources/XinyuHost/", "Tests/XinyuDirectoryTests/", "Tests/XinyuHostTests/"]

    /// An SQL write naming a directory table.
    static let write = try! NSRegularExpression(
        pattern: #"\b(INSERT(\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(\s+OR\s+\w+)?|DELETE\s+FROM)\s+"?directory_\w+"#,
        options: [.caseInsensitive])

    /// Swift files under `folders` (relative to the root) that write a directory table, as "path:line".
    static func offenders(in folders: [String]) throws -> [String] {
        var found: [String] = []
        for folder in folders {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where url.pathExtension == "swift" {
                let relative = String(url.path.dropFirst(root.path.count + 1))
                guard !owners.contains(where: { relative.hasPrefix($0) }) else { continue }
                let text = try String(contentsOf: url, encoding: .utf8)
                for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let s = String(line)
                    if write.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil { found.append("\(relative):\(index + 1)") }
                }
            }
        }
        return found
    }

    @Test("no plugin source or test, and no test outside the directory's and host's, writes a directory_* table")
    func noDirectoryWritesOutsideTheDirectory() throws {
        let offenders = try Self.offenders(in: ["Plugins", "Tests"])
        #expect(offenders.isEmpty, "write through the directory's API or DirectorySeed instead: \(offenders)")
    }

    @Test("the check recognises the forms a write takes")
    func recognisesWrites() {
        for sql in ["INSERT INTO directory_students (id) VALUES (?)", "insert or replace into directory_staff_roles VALUES (1)",
                    "UPDATE directory_classes SET name = ?", "DELETE FROM \"directory_grid_members\" WHERE 1"] {
            #expect(Self.write.firstMatch(in: sql, range: NSRange(sql.startIndex..., in: sql)) != nil, "\(sql)")
        }
        for sql in ["SELECT * FROM directory_students", "INSERT INTO crisis_levels (student_id) VALUES (?)"] {
            #expect(Self.write.firstMatch(in: sql, range: NSRange(sql.startIndex..., in: sql)) == nil, "\(sql)")
        }
    }
}
