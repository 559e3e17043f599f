import Testing
@testable import XinyuHost

/// The hang detection's decisions, driven by made-up instants: no sockets, no sleeps.
@Suite("Hang detection")
struct HangDetectorTests {
    let t0 = ContinuousClock.now
    func at(_ ms: Int) -> ContinuousClock.Instant { t0 + .milliseconds(ms) }
    let settings = HangDetector.Settings(interval: .milliseconds(1000), timeout: .milliseconds(2000), restartAfter: .milliseconds(10_000))

    @Test("a plugin that answers is pinged once per interval and never degraded")
    func answeringPluginStaysReady() {
        var detector = HangDetector(settings: settings)
        #expect(detector.tick(now: at(0)) == [.ping(token: 1)])
        #expect(detector.tick(now: at(500)).isEmpty)  // one ping at a time
        #expect(detector.pong(1, now: at(600)).isEmpty)
        #expect(detector.tick(now: at(900)).isEmpty)  // not due yet
        #expect(detector.tick(now: at(1000)) == [.ping(token: 2)])
        #expect(detector.pong(2, now: at(1010)).isEmpty)
        #expect(detector.unresponsiveSince == nil)
    }

    @Test("a ping unanswered for the timeout marks it degraded since the ping was sent, then pings go on")
    func unansweredPingDegrades() {
        var detector = HangDetector(settings: settings)
        #expect(detector.tick(now: at(0)) == [.ping(token: 1)])
        #expect(detector.tick(now: at(1999)).isEmpty)
        #expect(detector.tick(now: at(2000)) == [.degraded(since: at(0)), .ping(token: 2)])
        #expect(detector.unresponsiveSince == at(0))
        // Still silent: degraded once, not again; the next ping times out quietly.
        #expect(detector.tick(now: at(4000)) == [.ping(token: 3)])
    }

    @Test("an answer while degraded makes it ready again, even an answer to an earlier ping")
    func answerRecovers() {
        var detector = HangDetector(settings: settings)
        _ = detector.tick(now: at(0))
        _ = detector.tick(now: at(2000))  // degraded, ping 2 out
        #expect(detector.pong(1, now: at(3500)) == [.recovered(after: .milliseconds(3500))])
        #expect(detector.unresponsiveSince == nil)
        #expect(detector.pong(2, now: at(3600)).isEmpty)
        #expect(detector.tick(now: at(4000)) == [.ping(token: 3)])
    }

    @Test("unresponsive for restartAfter asks for one restart, and nothing after it")
    func restartAfterConfiguredTime() {
        var detector = HangDetector(settings: settings)
        _ = detector.tick(now: at(0))
        _ = detector.tick(now: at(2000))
        _ = detector.tick(now: at(4000))
        _ = detector.tick(now: at(6000))
        _ = detector.tick(now: at(8000))
        #expect(detector.tick(now: at(9999)).isEmpty)
        #expect(detector.tick(now: at(10_000)) == [.restart(after: .milliseconds(10_000))])
        #expect(detector.restartRequested)
        #expect(detector.tick(now: at(20_000)).isEmpty)
        #expect(detector.pong(5, now: at(20_001)).isEmpty)  // too late: the kill is under way
    }

    @Test("without restartAfter it stays degraded")
    func noRestartWhenDisabled() {
        var detector = HangDetector(settings: .init(interval: .milliseconds(1000), timeout: .milliseconds(2000), restartAfter: nil))
        _ = detector.tick(now: at(0))
        #expect(detector.tick(now: at(2000)).contains(.degraded(since: at(0))))
        for ms in stride(from: 4000, through: 60_000, by: 2000) {
            #expect(!detector.tick(now: at(ms)).contains { if case .restart = $0 { true } else { false } })
        }
        #expect(detector.unresponsiveSince == at(0))
    }

    @Test("a call that timed out makes it ping at once rather than at the next interval")
    func callTimeoutProbesNow() {
        var detector = HangDetector(settings: .init(interval: .seconds(30), timeout: .milliseconds(500), restartAfter: .seconds(5)))
        #expect(detector.tick(now: at(0)) == [.ping(token: 1)])
        #expect(detector.pong(1, now: at(10)).isEmpty)
        #expect(detector.tick(now: at(1000)).isEmpty)  // next interval is 30 s away
        #expect(detector.callTimedOut(now: at(1000)) == [.ping(token: 2)])
        #expect(detector.callTimedOut(now: at(1100)).isEmpty)  // one ping at a time
        #expect(detector.tick(now: at(1500)) == [.degraded(since: at(1000)), .ping(token: 3)])
    }

    @Test("an answer to a ping never sent is ignored")
    func unknownPongIgnored() {
        var detector = HangDetector(settings: settings)
        _ = detector.tick(now: at(0))
        _ = detector.tick(now: at(2000))
        #expect(detector.pong(99, now: at(2100)).isEmpty)
        #expect(detector.unresponsiveSince == at(0))
    }
}
