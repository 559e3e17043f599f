import GRDB
import XinyuPartnershipAPI
import XinyuPluginSDK

extension ReferralRecord {
    /// The referral as every caller may see it: the minimum an agency needs (no case id, no
    /// clinical notes, no screening answers). Names are added by ``ReferralView`` on reading.
    var message: Xinyu_Partnership_V1_Referral {
        var r = Xinyu_Partnership_V1_Referral()
        r.id = id
        r.agencyID = agencyID
        r.studentID = studentID
        r.schoolID = schoolID
        r.reason = reason
        r.urgent = urgent
        r.legalBasis = legalBasis
        r.status = Xinyu_Partnership_V1_ReferralStatus(storedText: status) ?? .unspecified
        r.requestedAtMs = requestedAtMs
        r.respondByMs = respondByMs
        r.overdue = overdue
        if !appointmentAt.isEmpty {
            r.appointment = .with { $0.at = appointmentAt; $0.place = appointmentPlace; $0.doctor = appointmentDoctor }
        }
        r.reasonCode = reasonCode
        r.successful = successful
        r.outcome = outcome
        r.updatedAtMs = updatedAtMs
        r.version = version
        return r
    }

    /// The facts the caller's data scopes are checked against: the agency it was sent to and the
    /// student's current school (from the directory, so scope follows a move).
    func scopeTarget(_ db: Database, context: CallContext) throws -> ScopeTarget {
        var target = try context.directory.student(studentID, in: db)?.scopeTarget ?? ScopeTarget(schoolID: schoolID, studentID: studentID)
        target.agencyIDs = [agencyID]
        return target
    }
}
