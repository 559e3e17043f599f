import GRDB
import Testing
import XinyuCoreAPI
import XinyuDirectory
import XinyuPluginSDK

@Suite("Directory enumerations: one declaration gives the proto value, the stored text and the CHECK")
struct DirectoryEnumTests {
    @Test("gender and school kind declarations match the CHECKs the shipped migrations wrote")
    func checksMatchShippedMigrations() throws {
        let harness = try DirectoryHarness()
        let sql = try harness.database.readSync { db in
            try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE name IN ('directory_schools', 'directory_students')").joined(separator: "\n")
        }
        #expect(sql.contains("kind TEXT NOT NULL " + Xinyu_Directory_V1_SchoolKind.checkClause("kind")))
        #expect(sql.contains("gender TEXT NOT NULL " + Xinyu_Directory_V1_Gender.checkClause("gender")))
    }

    @Test("stored names map both ways")
    func mapsBothWays() {
        #expect(Xinyu_Directory_V1_SchoolKind.vocational.storedText == "vocational")
        #expect(Xinyu_Directory_V1_SchoolKind(storedText: "junior") == .junior)
        #expect(Xinyu_Directory_V1_Gender(storedText: "女") == nil)
        #expect(Xinyu_Directory_V1_Gender.problem(.unspecified) == "is required (female or male)")
    }
}
