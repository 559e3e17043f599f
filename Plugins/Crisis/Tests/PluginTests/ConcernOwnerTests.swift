import Foundation
import GRDB
import Testing
import XinyuCrisisAPI
import XinyuDirectory
import XinyuPluginSDK
import XinyuWire

/// An escalated concern lands on a list someone owns: the school's psych lead (its full-time
/// psych teacher in the directory) first, then, if still unacknowledged, the growth centre.
@Suite("Escalated concerns on owned lists")
struct ConcernOwnerTests {
    /// School A's psych lead: a full-time psych teacher (P002) with school A's scope.
    static let lead = Principal(id: "staff:P002", kind: .person, roles: ["psych_teacher"], permissions: ["crisis.concern.ack", "crisis.case.read"],
                                scopes: [DataScope(kind: "school", ids: ["A"])])
    /// Another psych teacher of school A (part-time: not the lead).
    static let colleague = Principal(id: "staff:P003", kind: .person, roles: ["psych_teacher"], permissions: ["crisis.concern.ack", "crisis.case.read"],
                                     scopes: [DataScope(kind: "school", ids: ["A"])])

    func seedLead(_ h: CrisisHarness) throws {
        try h.database.writeSync { db in
            try DirectorySeed.staff(db, id: "P002", name: "孙老师", schoolID: "A", roles: ["psych_teacher_full_time"])
            try DirectorySeed.staff(db, id: "P003", name: "周老师", schoolID: "A", roles: ["psych_teacher_part_time"])
        }
    }

    func escalatedToMe(_ h: CrisisHarness, _ principal: Principal) async throws -> [Xinyu_Crisis_V1_Concern] {
        let reply = try await h.call("ListConcerns", Xinyu_Crisis_V1_ListConcernsRequest.with { $0.escalatedToMe = true },
                                     as: Xinyu_Crisis_V1_ListConcernsResponse.self, principal: principal)
        #expect(reply.code == .ok, "\(reply.message)")
        return reply.value.concerns
    }

    func raise(_ h: CrisisHarness) async throws -> Xinyu_Crisis_V1_Concern {
        try await h.call("RaiseConcern", Xinyu_Crisis_V1_RaiseConcernRequest.with { $0.studentID = "S1"; $0.description_p = "上课走神，情绪低落" },
                         as: Xinyu_Crisis_V1_Concern.self, principal: classTeacher).value
    }

    @Test("not acknowledged in time: on the psych lead's list; another period later: on the growth centre's")
    func leadThenCentre() async throws {
        let h = try CrisisHarness()
        try seedLead(h)
        let concern = try await raise(h)
        #expect(try await escalatedToMe(h, Self.lead).isEmpty)
        h.clock.advance(by: .seconds(121 * 60))
        #expect(try await h.dispatcher.fireDueTimers() == 1)
        let onLead = try await escalatedToMe(h, Self.lead)
        #expect(onLead.map(\.id) == [concern.id])
        #expect(onLead.first?.escalatedTo == .schoolPsychLead && onLead.first?.ownerID == "P002" && onLead.first?.status == .escalated)
        #expect(try await escalatedToMe(h, Self.colleague).isEmpty, "the part-time colleague is not the lead")
        #expect(try await escalatedToMe(h, supervisor).isEmpty, "not yet the growth centre's")

        h.clock.advance(by: .seconds(120 * 60))
        #expect(try await h.dispatcher.fireDueTimers() == 1)
        let onCentre = try await escalatedToMe(h, supervisor)
        #expect(onCentre.map(\.id) == [concern.id])
        #expect(onCentre.first?.escalatedTo == .growthCentre && onCentre.first?.ownerID == "" && onCentre.first?.centreEscalatedAtMs == h.clock.nowMs)
        #expect(try await escalatedToMe(h, Self.lead).isEmpty, "off the lead's list")
    }

    @Test("a school without a psych lead: straight to the growth centre's list")
    func noLead() async throws {
        let h = try CrisisHarness()
        let concern = try await raise(h)
        h.clock.advance(by: .seconds(121 * 60))
        #expect(try await h.dispatcher.fireDueTimers() == 1)
        let onCentre = try await escalatedToMe(h, supervisor)
        #expect(onCentre.map(\.id) == [concern.id] && onCentre.first?.escalatedTo == .growthCentre)
    }

    @Test("the lead acknowledging it keeps it off the growth centre's list")
    func leadAcknowledges() async throws {
        let h = try CrisisHarness()
        try seedLead(h)
        let concern = try await raise(h)
        h.clock.advance(by: .seconds(121 * 60))
        try await h.dispatcher.fireDueTimers()
        let ack = try await h.call("AcknowledgeConcern", Xinyu_Crisis_V1_AcknowledgeConcernRequest.with { $0.concernID = concern.id; $0.note = "已约谈学生" },
                                   as: Xinyu_Crisis_V1_Concern.self, principal: Self.lead)
        #expect(ack.code == .ok, "\(ack.message)")
        h.clock.advance(by: .seconds(86400))
        #expect(try await h.dispatcher.fireDueTimers() == 0)
        #expect(try await escalatedToMe(h, supervisor).isEmpty)
        #expect(try await escalatedToMe(h, Self.lead).isEmpty, "acknowledged: on nobody's list")
    }
}

extension ManualClock {
    /// The clock's time in ms since 1970, as the plugin stores it.
    var nowMs: Int64 { Int64((now().timeIntervalSince1970 * 1000).rounded(.down)) }
}
