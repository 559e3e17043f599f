import Foundation
import Testing
import XinyuPartnershipAPI
import XinyuPluginSDK
import XinyuWire

@Suite("The hotline: call records; a high-risk call raises a concern in crisis")
struct HotlineTests {
    func call(_ risk: Xinyu_Partnership_V1_CallRisk, student: String) -> Xinyu_Partnership_V1_RecordHotlineCallRequest {
        .with { $0.callerKind = .student; $0.topic = "学业压力"; $0.risk = risk; $0.counsellor = "热线 07号"; $0.studentID = student }
    }

    @Test("only a high-risk call linked to a student raises a concern, and the call keeps its id")
    func highRisk() async throws {
        let h = try PartnershipHarness()
        let low = try await h.call("RecordHotlineCall", call(.low, student: "S1"), as: Xinyu_Partnership_V1_HotlineCall.self)
        #expect(low.code == .ok && low.value.concernID.isEmpty)
        #expect(h.crisis.raised.withLockedValue { $0.isEmpty })
        let high = try await h.call("RecordHotlineCall", call(.high, student: "S1"), as: Xinyu_Partnership_V1_HotlineCall.self)
        #expect(high.code == .ok && high.value.concernID == "1", "\(high.message)")
        #expect(h.crisis.raised.withLockedValue { $0.map(\.studentID) } == ["S1"])
        let unknown = try await h.call("RecordHotlineCall", call(.high, student: "S999"), as: Xinyu_Partnership_V1_HotlineCall.self)
        #expect(unknown.code == .notFound && unknown.message.contains("student_id"))
        let bad = try await h.call("RecordHotlineCall", call(.unspecified, student: ""), as: Xinyu_Partnership_V1_HotlineCall.self)
        #expect(bad.code == .invalidArgument && bad.message.contains("risk"))
        #expect(try h.count("partnership_hotline_calls") == 2)
    }
}
