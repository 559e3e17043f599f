import GRDB
import Testing
import XinyuPluginSDK
import XinyuStore

@Suite("Data scopes applied to queries")
struct ScopeFilterTests {
    func database() throws -> SharedDatabase {
        let db = try SharedDatabase.temporary()
        try db.writeSync { db in
            try db.execute(sql: """
                CREATE TABLE cases (student_id TEXT, school_id TEXT, class_id TEXT, mentor_id TEXT, agency_id TEXT);
                INSERT INTO cases VALUES ('s1', 'S1', 'C1', 'm1', NULL), ('s2', 'S1', 'C2', 'm2', 'kangning'),
                                         ('s3', 'S2', 'C3', 'm1', 'police7'), ('s4', 'S2', 'C4', NULL, NULL);
                CREATE TABLE directory_grid_members (mentor_id TEXT, student_id TEXT, updated_at_ms INTEGER);
                INSERT INTO directory_grid_members VALUES ('m9', 's2', 0), ('m9', 's4', 0), ('m8', 's1', 0);
                """)
        }
        return db
    }

    func visible(_ scopes: [DataScope], columns: ScopeColumns = ScopeColumns(school: "school_id", class: "class_id", grid: "mentor_id", agency: "agency_id", student: "student_id")) throws -> [String] {
        let filter = ScopeFilter(scopes: scopes, columns: columns)
        return try database().readSync { db in
            try String.fetchAll(db, sql: "SELECT student_id FROM cases WHERE \(filter.sql) ORDER BY student_id", arguments: filter.arguments)
        }
    }

    @Test func eachScopeKindSeesOnlyItsRows() throws {
        #expect(try visible([.city]) == ["s1", "s2", "s3", "s4"])
        #expect(try visible([DataScope(kind: "school", ids: ["S1"])]) == ["s1", "s2"])
        #expect(try visible([DataScope(kind: "class", ids: ["C3"])]) == ["s3"])
        #expect(try visible([DataScope(kind: "grid", ids: ["m1"])]) == ["s1", "s3"])
        #expect(try visible([DataScope(kind: "agency", ids: ["kangning"])]) == ["s2"])
        #expect(try visible([DataScope(kind: "student", ids: ["s4"])]) == ["s4"])
        #expect(try visible([DataScope(kind: "class", ids: ["C1"]), DataScope(kind: "agency", ids: ["police7"])]) == ["s1", "s3"])
    }

    @Test func gridScopesResolveThroughTheDirectoryWhenRowsCarryOnlyTheStudent() throws {
        let byStudent = ScopeColumns(school: "school_id", student: "student_id")
        #expect(try visible([DataScope(kind: "grid", ids: ["m9"])], columns: byStudent) == ["s2", "s4"])
        #expect(try visible([DataScope(kind: "grid", ids: ["m9", "m8"])], columns: byStudent) == ["s1", "s2", "s4"])
        #expect(try visible([DataScope(kind: "grid", ids: ["m7"])], columns: byStudent) == [])
        // Without a student column a grid scope grants nothing.
        #expect(try visible([DataScope(kind: "grid", ids: ["m9"])], columns: ScopeColumns(school: "school_id")) == [])
    }

    @Test func failsClosed() throws {
        #expect(try visible([]) == [])
        #expect(try visible([DataScope(kind: "school", ids: [])]) == [])
        #expect(try visible([DataScope(kind: "mystery", ids: ["S1"])]) == [])
        // A query without an agency column shows an agency nothing.
        #expect(try visible([DataScope(kind: "agency", ids: ["kangning"])], columns: ScopeColumns(school: "school_id")) == [])
    }

    @Test func singleRecordChecks() {
        let target = ScopeTarget(schoolID: "S1", classID: "C2", mentorIDs: ["m2"], agencyIDs: ["kangning"], studentID: "s2")
        #expect(target.isCovered(by: [.city]))
        #expect(target.isCovered(by: [DataScope(kind: "class", ids: ["C2"])]))
        #expect(!target.isCovered(by: [DataScope(kind: "class", ids: ["C1"])]))
        #expect(!target.isCovered(by: [DataScope(kind: "agency", ids: ["police7"])]))
        #expect(!target.isCovered(by: []))
    }
}
