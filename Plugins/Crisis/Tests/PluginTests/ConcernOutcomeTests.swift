import Foundation
import GRDB
import Testing
import XinyuCrisisAPI
import XinyuDirectory
import XinyuPluginSDK
import XinyuWire

/// The heart-grid loop closes (心网格闭环): psych staff record what a concern led to, and whoever
/// raised it follows its status in a list of their own, never anyone else's.
@Suite("Concern outcomes and the raiser's own list")
struct ConcernOutcomeTests {
    /// A mentor of a heart grid holding S2 (class C1, school A).
    static let mentor = Principal(id: "staff:T002", kind: .person, roles: ["mentor"], permissions: ["crisis.concern.write"],
                                  scopes: [DataScope(kind: "grid", ids: ["T002"])])

    func raise(_ h: CrisisHarness, _ student: String, by principal: Principal) async throws -> Xinyu_Crisis_V1_Concern {
        let reply = try await h.call("RaiseConcern", Xinyu_Crisis_V1_RaiseConcernRequest.with { $0.studentID = student; $0.description_p = "最近常独自哭泣" },
                                     as: Xinyu_Crisis_V1_Concern.self, principal: principal)
        #expect(reply.code == .ok, "\(reply.message)")
        return reply.value
    }

    func outcome(_ h: CrisisHarness, _ id: String, _ outcome: Xinyu_Crisis_V1_ConcernOutcome, note: String = "",
                 principal: Principal = psych) async throws -> Reply<Xinyu_Crisis_V1_Concern> {
        try await h.call("RecordConcernOutcome", Xinyu_Crisis_V1_RecordConcernOutcomeRequest.with {
            $0.concernID = id; $0.outcome = outcome; $0.note = note
        }, as: Xinyu_Crisis_V1_Concern.self, principal: principal)
    }

    func mine(_ h: CrisisHarness, _ principal: Principal, openOnly: Bool = false) async throws -> Reply<Xinyu_Crisis_V1_ListConcernsResponse> {
        try await h.call("ListMyConcerns", Xinyu_Crisis_V1_ListMyConcernsRequest.with { $0.openOnly = openOnly },
                         as: Xinyu_Crisis_V1_ListConcernsResponse.self, principal: principal)
    }

    @Test("psych staff record an outcome; the raiser sees its status in their own list, without the clinical note, and no one else's concerns")
    func raiserSeesOwnStatus() async throws {
        let h = try CrisisHarness()
        try h.database.writeSync { db in try DirectorySeed.gridMember(db, mentorID: "T002", studentID: "S2") }
        let byTeacher = try await raise(h, "S1", by: classTeacher)
        let byMentor = try await raise(h, "S2", by: Self.mentor)

        let before = try await mine(h, classTeacher)
        #expect(before.code == .ok, "\(before.message)")
        #expect(before.value.concerns.map(\.id) == [byTeacher.id])
        #expect(before.value.concerns.first?.outcome == .unspecified && before.value.concerns.first?.status == .open)

        let recorded = try await outcome(h, byTeacher.id, .watch, note: "约谈后情绪稳定，持续关注")
        #expect(recorded.code == .ok, "\(recorded.message)")
        #expect(recorded.value.outcome == .watch && recorded.value.outcomeBy == psych.id && recorded.value.outcomeNote == "约谈后情绪稳定，持续关注")
        #expect(recorded.value.status == .acknowledged && recorded.value.acknowledgedBy == psych.id, "an outcome acknowledges the concern")

        let after = try await mine(h, classTeacher)
        #expect(after.value.concerns.map(\.id) == [byTeacher.id])
        #expect(after.value.concerns.first?.outcome == .watch && after.value.concerns.first?.status == .acknowledged)
        #expect(after.value.concerns.first?.outcomeNote == "", "the note is clinical: not for the raiser")
        #expect(try await mine(h, classTeacher, openOnly: true).value.concerns.isEmpty)

        let mentors = try await mine(h, Self.mentor)
        #expect(mentors.value.concerns.map(\.id) == [byMentor.id], "a mentor lists only the concerns they raised")
        #expect(try await mine(h, psych).value.concerns.isEmpty, "psych staff raised none")
    }

    @Test("a mentor whose student left their grid no longer sees how the concern went")
    func raiserLosesSightOutsideScope() async throws {
        let h = try CrisisHarness()
        try h.database.writeSync { db in try DirectorySeed.gridMember(db, mentorID: "T002", studentID: "S2") }
        _ = try await raise(h, "S2", by: Self.mentor)
        #expect(try await mine(h, Self.mentor).value.concerns.count == 1)
        // The same mentor, now with another grid (T009) that does not hold S2.
        let moved = Principal(id: "staff:T002", kind: .person, roles: ["mentor"], permissions: ["crisis.concern.write"],
                              scopes: [DataScope(kind: "grid", ids: ["T009"])])
        #expect(try await mine(h, moved).value.concerns.isEmpty)
    }

    @Test("case opened needs the student's open case and referred a referral since the concern; both are linked; errors change nothing")
    func outcomesLinkTheirRecords() async throws {
        let h = try CrisisHarness()
        let concern = try await raise(h, "S1", by: classTeacher)
        let noCase = try await outcome(h, concern.id, .caseOpened)
        #expect(noCase.code == .failedPrecondition && noCase.message.contains("field outcome") && noCase.message.contains("no open case"), "\(noCase.message)")
        let missing = try await outcome(h, concern.id, .unspecified)
        #expect(missing.code == .invalidArgument && missing.message.contains("outcome"), "\(missing.message)")
        let list = try await h.call("ListConcerns", Xinyu_Crisis_V1_ListConcernsRequest(), as: Xinyu_Crisis_V1_ListConcernsResponse.self)
        #expect(list.value.concerns.first?.status == .open && list.value.concerns.first?.outcome == .unspecified, "nothing changed")

        let opened = try await h.levelOneCase("S1")
        let linked = try await outcome(h, concern.id, .caseOpened)
        #expect(linked.code == .ok, "\(linked.message)")
        #expect(linked.value.outcome == .caseOpened && linked.value.outcomeCaseID == opened.id)

        let notReferred = try await outcome(h, concern.id, .referred)
        #expect(notReferred.code == .failedPrecondition && notReferred.message.contains("no referral"), "\(notReferred.message)")
        let referral = try await h.call("RequestReferral", Xinyu_Crisis_V1_RequestReferralRequest.with {
            $0.caseID = opened.id; $0.agency = "kangning"; $0.reason = "需要专科评估"; $0.legalBasis = .emergency; $0.emergencyReason = "自伤风险"
        }, as: Xinyu_Crisis_V1_Referral.self)
        #expect(referral.code == .ok, "\(referral.message)")
        let referred = try await outcome(h, concern.id, .referred)
        #expect(referred.code == .ok, "\(referred.message)")
        #expect(referred.value.outcome == .referred && referred.value.outcomeReferralID == referral.value.id)
    }

    @Test("only psych staff with the concern in scope record an outcome; a concern outside scope is not found")
    func outcomeNeedsPermissionAndScope() async throws {
        let h = try CrisisHarness()
        let concern = try await raise(h, "S1", by: classTeacher)
        let teacher = try await outcome(h, concern.id, .noConcern, principal: classTeacher)
        #expect(teacher.code == .permissionDenied)
        let otherSchool = Principal(id: "staff:P900", kind: .person, roles: ["psych_teacher"], permissions: ["crisis.concern.ack"],
                                    scopes: [DataScope(kind: "school", ids: ["B"])])
        let hidden = try await outcome(h, concern.id, .noConcern, principal: otherSchool)
        #expect(hidden.code == .notFound && hidden.message == "concern \(concern.id) not found")
        let unknown = try await outcome(h, "999", .noConcern)
        #expect(unknown.code == .notFound && unknown.message == "concern 999 not found")
    }

    @Test("an outcome on an open concern stops its escalation")
    func outcomeStopsEscalation() async throws {
        let h = try CrisisHarness()
        let concern = try await raise(h, "S1", by: classTeacher)
        #expect(try await outcome(h, concern.id, .noConcern).code == .ok)
        h.clock.advance(by: .seconds(86400))
        #expect(try await h.dispatcher.fireDueTimers() == 0)
        #expect(try h.topics().filter { $0 == "crisis.concern.escalated" }.isEmpty)
    }
}
