import Foundation
import Testing
import XinyuPartnershipAPI
import XinyuPluginSDK
import XinyuWire

@Suite("Expert sessions: capacity, waitlist, cancellation, no-shows")
struct SessionTests {
    func session(_ h: PartnershipHarness, capacity: Int32) async throws -> String {
        _ = try await h.call("CreateAgency", Xinyu_Partnership_V1_CreateAgencyRequest.with { $0.id = "seventh"; $0.kind = .hospital; $0.name = "第七人民医院" }, as: Xinyu_Partnership_V1_Agency.self)
        let made = try await h.call("CreateExpertSession", Xinyu_Partnership_V1_CreateExpertSessionRequest.with {
            $0.kind = .triageWeekly; $0.agencyID = "seventh"; $0.startsAt = "2024-10-10 09:00"; $0.experts = ["王主任"]; $0.capacity = capacity
        }, as: Xinyu_Partnership_V1_ExpertSession.self)
        #expect(made.code == .ok, "\(made.message)")
        return made.value.id
    }

    func book(_ h: PartnershipHarness, _ session: String, _ student: String, as principal: Principal = centre) async throws -> Reply<Xinyu_Partnership_V1_Booking> {
        try await h.call("BookExpertSession", Xinyu_Partnership_V1_BookExpertSessionRequest.with { $0.sessionID = session; $0.studentID = student }, as: Xinyu_Partnership_V1_Booking.self, principal: principal)
    }

    @Test("a full session waitlists; a cancelled place goes to the first waiting; no-shows are recorded")
    func waitlist() async throws {
        let h = try PartnershipHarness(signAgreements: false)
        let id = try await session(h, capacity: 1)
        let first = try await book(h, id, "S1")
        let second = try await book(h, id, "S4")
        #expect(first.value.status == .booked && second.value.status == .waitlisted && second.value.waitlistPosition == 1)
        #expect(try await book(h, id, "S1").code == .alreadyExists)
        #expect(try await book(h, id, "S4", as: psychA).code == .notFound, "S4 is outside school A")
        let cancelled = try await h.call("CancelBooking", Xinyu_Partnership_V1_CancelBookingRequest.with { $0.bookingID = first.value.id }, as: Xinyu_Partnership_V1_Booking.self)
        #expect(cancelled.value.status == .cancelled)
        let noShow = try await h.call("RecordNoShow", Xinyu_Partnership_V1_RecordNoShowRequest.with { $0.bookingID = second.value.id }, as: Xinyu_Partnership_V1_Booking.self)
        #expect(noShow.code == .ok && noShow.value.status == .noShow, "the waiting student took the freed place: \(noShow.message)")
        let provincial = try await h.call("CreateExpertSession", Xinyu_Partnership_V1_CreateExpertSessionRequest.with {
            $0.kind = .provincialMonthly; $0.agencyID = "seventh"; $0.startsAt = "2024-10-20 09:00"; $0.experts = ["省专家"]; $0.capacity = 4
        }, as: Xinyu_Partnership_V1_ExpertSession.self)
        #expect(provincial.code == .invalidArgument && provincial.message.contains("field experts: a provincial_monthly session needs at least 2 experts"))
    }
}
