import GRDB
import XinyuHomeschoolAPI
import XinyuHomeschoolCore
import XinyuPluginSDK

/// The parents' acknowledgement of the three responsibilities on a special visit: checked
/// against the directory's guardians, recorded, and what they add up to (done, refused, still owed).
enum SpecialVisitAcknowledgements {
    /// One checked acknowledgement, ready to store.
    struct Checked: Sendable {
        let responsibility: String
        let guardianID: Int64
        let relation: String
        let day: String
        let evidence: String
        let refused: Bool
        let refusalReason: String
        let refusalNote: String
    }

    /// The student's open special visit `id`; NOT_FOUND or FAILED_PRECONDITION otherwise.
    static func openSpecialVisit(_ text: String, of student: DirectoryStudent, in db: Database) throws -> SpecialVisitRecord {
        let id = try Require.id("special_visit_id", text, what: "special visit")
        guard let special = try SpecialVisitRecord.find(db, id: id), special.studentID == student.id else {
            throw RPCError(.notFound, "special visit \(text) not found for student \(student.id)")
        }
        guard SpecialVisitStatus(storedText: special.status) == .open else {
            throw RPCError(.failedPrecondition, "special visit \(id) is \(special.status), not open")
        }
        return special
    }

    /// Checks each acknowledgement: a responsibility, a guardian of this student in the
    /// directory, a day no later than today, and the evidence unless refused.
    /// A refusal needs its reason: one of `refusalReasons` and/or a note in the visitor's words.
    static func validate(_ given: [Xinyu_Homeschool_V1_Acknowledgement], of student: DirectoryStudent, today: CalendarDay,
                         refusalReasons: [String], context: CallContext, in db: Database) throws -> [Checked] {
        guard !given.isEmpty else { return [] }
        let guardians = Dictionary(try context.directory.guardians(ofStudent: student.id, in: db).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try given.enumerated().map { index, ack in
            let field = "acknowledgements[\(index + 1)]"
            let responsibility = try Responsibility.storedText(of: ack.responsibility, field: "\(field).responsibility")
            guard let guardian = guardians[ack.guardianID] else {
                throw RPCError.invalidField("\(field).guardian_id", "\(ack.guardianID) is not a guardian of student \(student.id) in the directory")
            }
            guard !ack.acknowledgedOn.isEmpty else { throw RPCError.invalidField("\(field).acknowledged_on", "is required") }
            let day = try CalendarDay.fromRequest(ack.acknowledgedOn, field: "\(field).acknowledged_on")
            guard day <= today else { throw RPCError.invalidField("\(field).acknowledged_on", "\(day) is in the future") }
            let evidence = ack.refused ? try Require.optional("\(field).evidence_ref", ack.evidenceRef, max: 200)
                                       : try Require.text("\(field).evidence_ref", ack.evidenceRef, max: 200)
            let refusal = try RefusalReason.check(ack, field: field, configured: refusalReasons)
            return Checked(responsibility: responsibility, guardianID: guardian.id, relation: guardian.relation, day: day.description,
                           evidence: evidence, refused: ack.refused, refusalReason: refusal.reason, refusalNote: refusal.note)
        }
    }

    /// Stores the acknowledgements and settles the special visit: all three acknowledged (on this
    /// or earlier visits) closes it; a refusal refuses it and escalates to the school's psych lead.
    static func record(_ checked: [Checked], visitID: Int64, on special: SpecialVisitRecord, context: CallContext, in db: Database) throws {
        for ack in checked {
            try db.execute(sql: """
                INSERT INTO homeschool_acknowledgements (visit_id, special_visit_id, responsibility, guardian_id, relation, acknowledged_on, evidence_ref, refused,
                                                         refusal_reason, refusal_note)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [visitID, special.id, ack.responsibility, ack.guardianID, ack.relation, ack.day, ack.evidence, ack.refused,
                                 ack.refusalReason, ack.refusalNote])
        }
        let all = try Row.fetchAll(db, sql: "SELECT responsibility, refused FROM homeschool_acknowledgements WHERE special_visit_id = ?", arguments: [special.id])
        switch AcknowledgementOutcome.decide(all.map { (responsibility: $0["responsibility"] as String, refused: $0["refused"] as Bool) }) {
        case .complete:
            try SpecialVisitStore.close(db, id: special.id, status: .done, visitID: visitID, context: context)
        case .refused:
            try SpecialVisitStore.close(db, id: special.id, status: .refused, visitID: visitID, context: context)
            let why = checked.filter(\.refused).map { $0.refusalReason.isEmpty ? "see note" : $0.refusalReason }.joined(separator: ", ")
            try SpecialVisitStore.escalate(db, special, cause: "refused", reason: "the parents refused a responsibility on visit \(visitID) (\(why))", context: context)
        case .incomplete:
            break
        }
    }
}
