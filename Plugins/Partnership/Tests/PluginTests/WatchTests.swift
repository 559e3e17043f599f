import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import XinyuPartnershipAPI
import XinyuPluginSDK
import XinyuRPC
import XinyuWire

@Suite("WatchReferrals: the agency's stream of its referrals, resumable from a cursor")
struct WatchTests {
    /// An open WatchReferrals call; `stop()` cancels it as a disconnect would.
    final class Watcher: Sendable {
        let sent = NIOLockedValueBox<[ByteBuffer]>([])
        let task: Task<CallStatus, Never>

        init(_ h: PartnershipHarness, cursor: String, as principal: Principal) throws {
            var start = Xinyu_Wire_V1_CallStart()
            start.method = "xinyu.partnership.v1.Partnership/WatchReferrals"
            let request = try ProtobufCoding.encode(Xinyu_Partnership_V1_WatchReferralsRequest.with { $0.cursor = cursor })
            let sent = self.sent
            let dispatcher = h.dispatcher
            task = Task { await dispatcher.dispatch(method: start.method, request: request, start: start, principal: principal, deadline: nil) { b in sent.withLockedValue { $0.append(b) } } }
        }

        /// Waits (with a deadline) until `count` changes arrived, then returns all that did.
        func changes(_ count: Int) async throws -> [Xinyu_Partnership_V1_ReferralChange] {
            let deadline = ContinuousClock.now + .seconds(10)
            while sent.withLockedValue({ $0.count }) < count && ContinuousClock.now < deadline { await Task.yield() }
            return try sent.withLockedValue { $0 }.map { try Xinyu_Partnership_V1_ReferralChange(serializedBytes: Array($0.readableBytesView)) }
        }

        func stop() async -> CallStatus {
            task.cancel()
            return await task.value
        }
    }

    @Test("each change once, in order, as it stood after the step; only the caller's own; a resumed watch continues after its cursor")
    func resume() async throws {
        let h = try PartnershipHarness()
        try await h.deliver(PartnershipHarness.referral("1"))
        try await h.deliver(PartnershipHarness.referral("2", agency: "seventh"))
        try await h.deliver(PartnershipHarness.referral("3"))
        let live = try Watcher(h, cursor: "", as: kangning)
        let before = try await live.changes(2)
        #expect(before.map { "\($0.referral.id):\($0.referral.status)" } == ["1:requested", "3:requested"])
        _ = try await h.update("1", to: .accepted)  // while watching: the bell wakes the stream
        let all = try await live.changes(3)
        #expect(all.map { "\($0.referral.id):\($0.referral.status)" } == ["1:requested", "3:requested", "1:accepted"])
        _ = await live.stop()  // the call ends when cancelled, as on a disconnect

        // Cut after the second: the resumed watch starts with the third, then a new one, nothing else.
        let resumed = try Watcher(h, cursor: all[1].cursor, as: kangning)
        #expect(try await resumed.changes(1).map(\.cursor) == [all[2].cursor])
        _ = try await h.update("3", to: .declined) { $0.reasonCode = "no_capacity" }
        let next = try await resumed.changes(2)
        #expect(next.map { "\($0.referral.id):\($0.referral.status)" } == ["1:accepted", "3:declined"])
        _ = await resumed.stop()

        let other = try Watcher(h, cursor: "", as: seventh)
        #expect(try await other.changes(1).map(\.referral.id) == ["2"])
        _ = await other.stop()
        let bad = try await h.call("WatchReferrals", Xinyu_Partnership_V1_WatchReferralsRequest.with { $0.cursor = "abc" }, as: Xinyu_Partnership_V1_ReferralChange.self, principal: kangning)
        #expect(bad.code == .invalidArgument && bad.message.contains("cursor"))
    }
}
