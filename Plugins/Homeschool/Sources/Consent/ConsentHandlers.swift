import GRDB
import XinyuEventsAPI
import XinyuHomeschoolAPI
import XinyuHomeschoolCore
import XinyuPluginSDK

/// RecordConsent, WithdrawConsent and CheckConsent: the guardian consent registry (PIPL art. 28,
/// 31). Other plugins (crisis referrals) ask CheckConsent through the host before data leaves.
struct ConsentHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("RecordConsent", permission: HomeschoolPermissions.consentWrite, mutates: true, handler: record)
        s.unary("WithdrawConsent", permission: HomeschoolPermissions.consentWrite, mutates: true, handler: withdraw)
        s.unary("CheckConsent", permission: HomeschoolPermissions.consentCheck, handler: check)
    }

    @Sendable func record(_ request: Xinyu_Homeschool_V1_RecordConsentRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_Consent {
        let purpose = try Require.text("purpose", request.purpose, max: 100)
        let agency = try Require.text("agency", request.agency, max: 128)
        let scope = try Require.text("scope", request.scope, max: 500)
        let evidence = try Require.text("evidence_ref", request.evidenceRef, max: 200)
        let given = try CalendarDay.fromRequest(request.givenOn, field: "given_on", default: context.today)
        guard given <= context.today else { throw RPCError.invalidField("given_on", "\(given) is in the future") }
        let expires = try Self.expiry(request.expiresOn, given: given)
        return try await context.store.write { db in
            let student = try Require.student(request.studentID, context, in: db)
            var relation = ""
            if request.guardianID != 0 {
                guard let guardian = try context.directory.guardians(ofStudent: student.id, in: db).first(where: { $0.id == request.guardianID }) else {
                    throw RPCError.invalidField("guardian_id", "\(request.guardianID) is not a guardian of student \(student.id) in the directory")
                }
                relation = guardian.relation
            } else {
                // Without a birth date the student's age is unknown: treat them as a child.
                let age = CalendarDay(student.birthDate).map { ConsentRule.age(born: $0, on: given) } ?? 0
                if ConsentRule.needsGuardian(age: age, sensitive: request.sensitive) {
                    let why = age < ConsentRule.guardianAge ? "student \(student.id) is under \(ConsentRule.guardianAge)" : "the data is sensitive and student \(student.id) is a minor"
                    throw RPCError.invalidField("guardian_id", "required: \(why), so a guardian from the directory must consent")
                }
            }
            try db.execute(sql: """
                INSERT INTO homeschool_consents (student_id, purpose, agency, scope, sensitive, guardian_id, guardian_relation, given_on, expires_on, evidence_ref,
                                                 recorded_by, recorded_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [student.id, purpose, agency, scope, request.sensitive, request.guardianID, relation, given.description, expires, evidence,
                                 context.principal.id, context.nowMs])
            return try ConsentRecord.find(db, id: db.lastInsertedRowID)!.message
        }
    }

    /// "" for no expiry, or a day no earlier than the day given.
    static func expiry(_ text: String, given: CalendarDay) throws -> String {
        guard !text.isEmpty else { return "" }
        let day = try CalendarDay.fromRequest(text, field: "expires_on")
        guard day >= given else { throw RPCError.invalidField("expires_on", "\(day) is before given_on \(given)") }
        return day.description
    }

    @Sendable func withdraw(_ request: Xinyu_Homeschool_V1_WithdrawConsentRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_Consent {
        let id = try Require.id("consent_id", request.consentID, what: "consent")
        let reason = try Require.text("reason", request.reason, max: 500)
        return try await context.store.write { db in
            guard let consent = try ConsentRecord.find(db, id: id) else { throw RPCError(.notFound, "consent \(id) not found") }
            _ = try Require.student(consent.studentID, context, in: db)
            guard consent.withdrawnAtMs == 0 else { throw RPCError(.failedPrecondition, "consent \(id) is already withdrawn") }
            let now = context.nowMs
            try db.execute(sql: "UPDATE homeschool_consents SET withdrawn_at_ms = ?, withdrawal_reason = ? WHERE id = ?", arguments: [now, reason, id])
            var event = Xinyu_Events_V1_ConsentWithdrawn()
            event.consentID = String(id)
            event.studentID = consent.studentID
            event.purpose = consent.purpose
            event.agency = consent.agency
            event.withdrawnAtMs = now
            try context.publish(HomeschoolTopics.consentWithdrawn, event, in: db)
            return try ConsentRecord.find(db, id: id)!.message
        }
    }

    /// Yes when a consent for the student, purpose and agency is in force today: given, not
    /// expired, not withdrawn. A plugin calling through the host has checked its own caller's
    /// scope (docs/PLUGINS.md §3.8); a person must have the student in scope.
    @Sendable func check(_ request: Xinyu_Homeschool_V1_CheckConsentRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_CheckConsentResponse {
        let purpose = try Require.text("purpose", request.purpose, max: 100)
        let agency = try Require.text("agency", request.agency, max: 128)
        return try await context.store.read { db in
            if context.principal.kind == .plugin {
                guard try context.directory.student(request.studentID, in: db) != nil else { throw RPCError(.notFound, "student \(request.studentID) not found") }
                context.touched(subjects: [request.studentID])
            } else {
                _ = try Require.student(request.studentID, context, in: db)
            }
            let consents = try ConsentRecord.fetchAll(db, sql: """
                SELECT * FROM homeschool_consents WHERE student_id = ? AND purpose = ? AND agency = ? ORDER BY id DESC
                """, arguments: [request.studentID, purpose, agency])
            return ConsentCheck.answer(consents, today: context.today, calendar: context.calendar)
        }
    }
}
