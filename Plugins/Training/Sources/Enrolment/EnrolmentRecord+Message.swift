import GRDB
import XinyuPluginSDK
import XinyuTrainingAPI

extension EnrolmentRecord {
    /// The API message, with the waitlist place read in the same transaction.
    func message(_ db: Database) throws -> Xinyu_Training_V1_Enrolment {
        var m = Xinyu_Training_V1_Enrolment()
        m.sessionID = sessionID
        m.staffID = staffID
        m.status = Xinyu_Training_V1_EnrolmentStatus(storedText: status) ?? .unspecified
        m.waitlistPosition = Int32(try waitlistPosition(db))
        m.enrolledAtMs = enrolledAtMs
        return m
    }
}
