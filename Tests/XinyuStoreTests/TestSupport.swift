import Foundation
import GRDB
import XinyuStore

/// A fresh temporary database with the core tables created.
func makeCoreDatabase() throws -> SharedDatabase {
    let database = try SharedDatabase.temporary()
    try database.migrateCore()
    return database
}

/// A path in a new temporary folder that does not exist yet, `depth` folders deep.
func freshPath(depth: Int = 1, file: String = "xinyu.sqlite") -> String {
    var url = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-store-test-\(UUID().uuidString)")
    for level in 0..<depth { url.appendPathComponent("level\(level)") }
    return url.appendingPathComponent(file).path
}

/// Names of the tables in the database.
func tableNames(_ database: SharedDatabase) throws -> Set<String> {
    try database.readSync { db throws in
        try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
    }
}

/// Thrown by tests to force a rollback.
struct Boom: Error, Equatable {}

/// Chinese text as stored in children's records: must survive every round trip byte for byte.
let chineseText = "学生心理档案：张三同学（五年级二班）情绪低落，已安排心理老师跟进。"
