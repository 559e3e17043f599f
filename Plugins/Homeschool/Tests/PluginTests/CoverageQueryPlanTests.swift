import GRDB
import Testing
import XinyuPluginSDK

/// City-wide coverage stays fast at 200,000 students (the benchmark's W7) because its class
/// headcounts are counted over an index, never sorted: these tests hold the query plan and the
/// counts of the headcount read GetCoverage uses.
@Suite("Coverage headcounts: the query plan")
struct CoverageQueryPlanTests {
    /// The headcounts of `scopes` and the SQL that computed them.
    func headcounts(_ h: HomeschoolHarness, _ scopes: [DataScope], schoolID: String? = nil) throws -> ([ClassHeadcount], [String]) {
        try h.database.readSync { db in
            var statements: [String] = []
            db.trace(options: .statement) { event in
                if case .statement(let statement) = event { statements.append(statement.expandedSQL) }
            }
            defer { db.trace(options: [], nil) }
            return (try DirectoryReader().headcountsByClass(within: scopes, schoolID: schoolID, in: db), statements)
        }
    }

    @Test("city-wide headcounts group over the class index: no temporary B-tree per student")
    func noSortPerStudent() throws {
        let h = try HomeschoolHarness()
        let (_, statements) = try headcounts(h, [.city])
        let sql = try #require(statements.last)
        let plan = try h.database.readSync { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)").map { $0["detail"] as String } }
        #expect(!plan.contains { $0.contains("TEMP B-TREE FOR GROUP BY") }, "\(plan)")
        #expect(plan.contains { $0.contains("COVERING INDEX directory_students_by_class") }, "\(plan)")
    }

    @Test("headcounts per class, sorted by school then class, for the city, a school and a class scope")
    func counts() throws {
        let h = try HomeschoolHarness()
        let city = try headcounts(h, [.city]).0
        #expect(city.map { "\($0.schoolID)/\($0.classID)=\($0.students)" } == ["A/C1=3", "A/C2=1", "B/C3=1"])
        #expect(try headcounts(h, [.city], schoolID: "B").0.map(\.classID) == ["C3"])
        #expect(try headcounts(h, [DataScope(kind: "class", ids: ["C2"])]).0.map(\.classID) == ["C2"])
    }
}
