import Foundation
import NIOConcurrencyHelpers
import XinyuClient
import XinyuRPC
import XinyuWire

/// A client-side record of logical writes, as a careful client keeps one: each write has its own
/// idempotency key, is retried with the same key until it gets an answer, and the first answer is
/// kept. The fault suite checks the database against it afterwards (nothing acknowledged lost,
/// nothing stored twice) and replays every key to see the first answer again.
final class WriteLedger: Sendable {
    /// One logical write.
    struct Entry: Sendable {
        let key: String
        /// The id the first answer named (e.g. the stored screening result's id).
        var answer: String?
        /// Attempts made, the first included.
        var attempts = 0
        /// Status codes (or "transport") of the attempts that failed and were retried.
        var retried: [String] = []
        /// The code and message of an answer that ended the write without success.
        var failure: String?
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    /// Rings when a write gets its answer or an attempt fails, for fault injectors that wait on progress.
    let progress = ChangeSignal()

    var all: [Entry] { entries.withLockedValue { Array($0.values) }.sorted { $0.key < $1.key } }
    var answered: Int { entries.withLockedValue { $0.values.filter { $0.answer != nil }.count } }

    /// The retry reason of an ABORTED "changed data but its answer was lost".
    static let answerLost = "ABORTED(answer lost)"

    /// Keys whose retries met ABORTED because the answer of an applied write was lost (must be none).
    var aborted: [Entry] { all.filter { $0.retried.contains(Self.answerLost) } }
    var failed: [Entry] { all.filter { $0.failure != nil } }
    var unanswered: [Entry] { all.filter { $0.answer == nil && $0.failure == nil } }
    var retriedWrites: Int { all.filter { !$0.retried.isEmpty }.count }

    func begin(_ key: String) { entries.withLockedValue { $0[key] = Entry(key: key) } }

    func attempt(_ key: String) { entries.withLockedValue { $0[key]?.attempts += 1 } }

    func retry(_ key: String, because reason: String) {
        entries.withLockedValue { $0[key]?.retried.append(reason) }
        progress.ring()
    }

    /// How many attempts failed with `reason` ("DEADLINE_EXCEEDED", "UNAVAILABLE", "transport"…).
    func retried(because reason: String) -> Int {
        entries.withLockedValue { $0.values.reduce(0) { $0 + $1.retried.filter { $0 == reason }.count } }
    }

    func answer(_ key: String, _ id: String) {
        entries.withLockedValue { $0[key]?.answer = id }
        progress.ring()
    }

    func fail(_ key: String, _ description: String) { entries.withLockedValue { $0[key]?.failure = description } }

    /// Waits until at least `count` writes have their answer.
    func waitForAnswers(_ count: Int, timeout: Duration = .seconds(60)) async throws {
        try await progress.wait(for: "\(count) answered writes", timeout: timeout) { self.answered >= count }
    }

    /// One line for the test log: what the run did.
    var summary: String {
        let list = all
        let attempts = list.reduce(0) { $0 + $1.attempts }
        var codes: [String: Int] = [:]
        for e in list { for r in e.retried { codes[r, default: 0] += 1 } }
        let retriedCodes = codes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return "writes=\(list.count) answered=\(answered) attempts=\(attempts) retried-writes=\(retriedWrites) [\(retriedCodes)] "
            + "aborted=\(aborted.count) failed=\(failed.count) unanswered=\(unanswered.count)"
    }
}

/// Runs one logical write to its answer the way docs/PROTOCOL.md tells a client to: the same
/// idempotency key on every attempt; retry on UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED
/// and on a lost or refused connection (reconnecting); stop on any other status.
struct RetryingWriter: Sendable {
    /// Opens a new connection (to the same socket path, whichever host process serves it now).
    let connect: @Sendable () async throws -> XinyuClient
    let ledger: WriteLedger
    /// The deadline of each attempt.
    var attemptTimeout: Duration = .seconds(3)
    /// Give up on a write (it stays "unanswered" in the ledger) after this long.
    var giveUpAfter: Duration = .seconds(90)

    /// Writes with `key`; `call` makes one attempt on the given client and returns the answer's id.
    func write(key: String, on client: inout XinyuClient?,
               _ call: @Sendable (XinyuClient, CallOptions) async throws -> String) async {
        ledger.begin(key)
        let options = CallOptions(timeout: attemptTimeout, idempotencyKey: key)
        let deadline = ContinuousClock.now + giveUpAfter
        var pause = Duration.milliseconds(20)
        while ContinuousClock.now < deadline, !Task.isCancelled {
            ledger.attempt(key)
            do {
                if client == nil { client = try await connect() }
                let id = try await call(client!, options)
                ledger.answer(key, id)
                return
            } catch let error as RPCError {
                switch error.code {
                case .unavailable, .deadlineExceeded, .resourceExhausted:
                    ledger.retry(key, because: "\(error.code)")
                    // A closed connection answers every call UNAVAILABLE: retry on a new one.
                    if let open = client, !open.connection.channel.isActive {
                        await open.close()
                        client = nil
                    }
                case .aborted where error.message.contains("answer was lost"):
                    // The broken promise: recorded, then retried, so that it shows in the ledger.
                    ledger.retry(key, because: WriteLedger.answerLost)
                case .aborted:
                    // Another attempt with this key is committing (PROTOCOL.md §6.6): retry for its answer.
                    ledger.retry(key, because: "\(error.code)")
                default:
                    ledger.fail(key, "\(error.code): \(error.message)")
                    return
                }
            } catch {
                // Connection refused, closed or timed out: the host or its socket is gone for now.
                ledger.retry(key, because: "transport")
                if let old = client { await old.close() }
                client = nil
            }
            // A client's backoff between attempts (what PROTOCOL.md asks of a retrying client),
            // not a wait for some event in the test.
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(400))
        }
    }
}
