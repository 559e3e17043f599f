import GRDB
import Testing
import XinyuPluginSDK
import XinyuTrainingAPI

/// Each stored enumeration's declaration matches the CHECK clause in the shipped tables.
@Suite("Training statuses")
struct TrainingStatusTests {
    @Test("declarations appear as CHECK clauses in the stored CREATE TABLE statements")
    func checksMatch() throws {
        let h = try TrainingHarness()
        let schema = try h.database.readSync { db in try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE name LIKE 'training_%' AND type = 'table'") }
            .joined(separator: "\n")
        for clause in [Xinyu_Training_V1_CourseKind.checkClause("kind"), Xinyu_Training_V1_EnrolmentStatus.checkClause("status"),
                       Xinyu_Training_V1_CertificateLevel.checkClause("level"), Xinyu_Training_V1_ActivityKind.checkClause("kind"),
                       Xinyu_Training_V1_Audience.checkClause("audience")] {
            #expect(schema.contains(clause), "\(clause)")
        }
    }
}
