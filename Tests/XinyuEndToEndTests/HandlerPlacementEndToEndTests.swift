import Foundation
import Testing
import XinyuClient
import XinyuRPC
import XinyuFixtureAPI
import XinyuWire

/// A method registered with `HandlerPlacement.eventLoop` runs on the plugin connection's event
/// loop, and behaves like any other call: deadlines, cancellation, and other calls served while
/// it waits.
@Suite("Handler placement: real host, real plugin process")
struct HandlerPlacementEndToEndTests {
    @Test("an eventLoop method runs on the connection's event loop; a default one on the task pool")
    func runsWherePlaced() async throws {
        let host = try await RunningHost()
        let client = try await host.client()
        let onLoop = try await client.call("xinyu.fixture.v1.Probe/EchoOnLoop", echo("hi 你好"), as: EchoReply.self)
        #expect(onLoop.text == "hi 你好 on event loop")
        let onPool = try await client.call("xinyu.fixture.v1.Probe/EchoOnPool", echo("hi"), as: EchoReply.self)
        #expect(onPool.text == "hi on task pool")
        await client.close()
        _ = try await host.stop()
    }

    @Test("a waiting eventLoop handler holds nothing: other calls are answered, its deadline and cancel still work")
    func waitingHandlerDoesNotBlock() async throws {
        let host = try await RunningHost()
        let client = try await host.client()
        let sleeping = Task {
            try await client.call("xinyu.fixture.v1.Probe/SleepOnLoop", sleepRequest(10_000), as: Xinyu_Fixture_V1_SleepReply.self)
        }
        try await host.waitForCallsInFlight("probe")
        let started = ContinuousClock.now
        let answered = try await client.call("xinyu.fixture.v1.Probe/EchoOnLoop", echo("meanwhile"), as: EchoReply.self)
        #expect(answered.text == "meanwhile on event loop")
        #expect(ContinuousClock.now - started < .seconds(2))

        await expectFailure(.deadlineExceeded) {
            try await client.call("xinyu.fixture.v1.Probe/SleepOnLoop", sleepRequest(5000), as: Xinyu_Fixture_V1_SleepReply.self, options: CallOptions(timeout: .milliseconds(300)))
        }
        sleeping.cancel()
        await expectFailure(.cancelled) { try await sleeping.value }
        #expect(ContinuousClock.now - started < .seconds(3))
        await client.close()
        _ = try await host.stop()
    }

    @Test("a burst of eventLoop calls spills over to the task pool, and every call is answered")
    func burstSpillsToPool() async throws {
        let host = try await RunningHost()
        let client = try await host.client()
        let places = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<200 {
                group.addTask { try await client.call("xinyu.fixture.v1.Probe/EchoOnLoop", echo("\(i)"), as: EchoReply.self).text }
            }
            var places: [String] = []
            for try await text in group { places.append(text) }
            return places
        }
        #expect(places.count == 200)
        // Frames read together make a backlog on the loop: beyond its limit, calls run on the pool.
        #expect(places.contains { $0.hasSuffix("on event loop") })
        #expect(places.contains { $0.hasSuffix("on task pool") })
        await client.close()
        _ = try await host.stop()
    }
}
