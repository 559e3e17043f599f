import Foundation
import GRDB
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuCrisisAPI
import XinyuRPC

/// The small city the fault suite writes into: one school, one class, `students` students, and
/// the crisis plugin's SubmitScreening as the logical write.
enum FaultCity {
    static let students = 40
    /// Concurrent writers, and logical writes per writer.
    static let writers = 8
    static let each = 25

    static func studentID(_ n: Int) -> String { "F\(n % students + 1)" }

    /// Imports the roster through the directory (as an admin would).
    static func seed(_ client: XinyuClient) async throws {
        let pupils = (1...students).map { "F\($0),学生\($0),\($0 % 2 == 0 ? "女" : "男"),2010-03-0\($0 % 9 + 1),NB-F01,C-F-1" }
        let rosters: [(Xinyu_Directory_V1_RosterKind, String)] = [
            (.schools, "school_id,name,district,kind\nNB-F01,宁波市故障演练中学,鄞州区,junior\n"),
            (.staff, "staff_id,name,school_id\nPF01,周老师,NB-F01\n"),
            (.classes, "class_id,school_id,grade,name\nC-F-1,NB-F01,8,1班\n"),
            (.students, "学籍号,姓名,性别,出生日期,学校代码,班级代码\n" + pupils.joined(separator: "\n") + "\n"),
        ]
        for (kind, csv) in rosters {
            var request = Xinyu_Directory_V1_ImportRosterRequest()
            request.kind = kind
            request.csv = Data(csv.utf8)
            var imported: Int64 = -1
            for try await event in try client.stream("xinyu.directory.v1.Directory/ImportRoster", request, as: Xinyu_Directory_V1_ImportRosterEvent.self) {
                if case .report(let r)? = event.event { imported = r.imported; #expect(r.errors.isEmpty, "\(r.errors)") }
            }
            #expect(imported > 0, "\(kind) imported")
        }
    }

    /// One attempt of the logical write `n` (the same request for every attempt of that write).
    static func screening(_ n: Int) -> @Sendable (XinyuClient, CallOptions) async throws -> String {
        let request = Xinyu_Crisis_V1_SubmitScreeningRequest.with {
            $0.submission.studentID = studentID(n)
            $0.submission.instrumentID = "phq-a"
            $0.submission.answers = (0..<9).map { Int32(($0 + n) % 3 == 0 ? 1 : 0) }
        }
        return { client, options in
            try await client.call("xinyu.crisis.v1.Crisis/SubmitScreening", request, as: Xinyu_Crisis_V1_SubmitScreeningResponse.self, options: options).result.id
        }
    }

    /// `writers` concurrent clients, each making `each` logical writes one after another, every
    /// one retried with its own key until answered. Keys are "<run>-w<writer>-<n>".
    static func write(socket: String, token: String, run: String, writers: Int, each: Int, ledger: WriteLedger,
                      attemptTimeout: Duration = .seconds(3)) async {
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    var writer = RetryingWriter(connect: { try await XinyuClient.connect(to: .unix(path: socket), name: "fault-writer", token: token) }, ledger: ledger)
                    writer.attemptTimeout = attemptTimeout
                    var client: XinyuClient?
                    for i in 0..<each {
                        let n = w * each + i
                        await writer.write(key: "\(run)-w\(w)-\(n)", on: &client, screening(n))
                    }
                    if let client { await client.close() }
                }
            }
        }
    }

    /// Waits for the writers to finish; if they have not within `timeout`, stops them and fails
    /// naming each stuck write and its last retry reasons, with the end of the host's log.
    static func finish(_ writes: Task<Void, Never>, ledger: WriteLedger, host: RunningHost, timeout: Duration = .seconds(90)) async throws {
        let total = writers * each
        do {
            try await ledger.progress.wait(for: "writes to end", timeout: timeout) { ledger.answered + ledger.failed.count >= total }
        } catch {
            let stuck = ledger.unanswered.prefix(10).map { "\($0.key) attempts=\($0.attempts) last=\($0.retried.suffix(4))" }
            Issue.record("writes stuck: \(stuck.joined(separator: "; "))\nhost log:\n\(host.log.suffix(2000))")
            writes.cancel()
        }
        await writes.value
    }

    /// Checks the ledger against the running host and its database: every write answered, no
    /// ABORTED, a replay of every key gives the first answer, the results table holds exactly
    /// the answered ids (nothing lost, nothing doubled), `integrity_check` ok, the audit chain intact.
    static func check(_ ledger: WriteLedger, host: RunningHost, run: String) async throws {
        let entries = ledger.all
        #expect(ledger.aborted.isEmpty, "retries answered ABORTED (an applied write's answer lost): \(ledger.aborted.map(\.key))")
        #expect(ledger.failed.isEmpty, "writes that failed: \(ledger.failed.map { "\($0.key): \($0.failure ?? "")" })")
        #expect(ledger.unanswered.isEmpty, "writes never answered: \(ledger.unanswered.map(\.key))")

        // Every retry gets the first answer: replay each key once more.
        let replayLedger = WriteLedger()
        let client = try await host.client()
        var replayClient: XinyuClient? = client
        let replayer = RetryingWriter(connect: { try await host.client() }, ledger: replayLedger)
        var mismatched: [String] = []
        for entry in entries {
            guard let n = Int(entry.key.split(separator: "-").last ?? "") else { continue }
            await replayer.write(key: entry.key, on: &replayClient, screening(n))
            if replayLedger.all.first(where: { $0.key == entry.key })?.answer != entry.answer { mismatched.append(entry.key) }
        }
        #expect(mismatched.isEmpty, "replays that did not get the first answer: \(mismatched)")
        if let replayClient { await replayClient.close() }

        // The database against the ledger.
        var configuration = Configuration()
        configuration.readonly = true
        let db = try DatabaseQueue(path: host.directory.appendingPathComponent("xinyu.sqlite").path, configuration: configuration)
        let (stored, integrity) = try await db.read { db in
            (try String.fetchAll(db, sql: "SELECT id FROM crisis_screening_results"),
             try String.fetchAll(db, sql: "PRAGMA integrity_check"))
        }
        let answered = entries.compactMap(\.answer)
        #expect(Set(answered).count == answered.count, "two keys got the same answer")
        let lost = Set(answered).subtracting(stored)
        let extra = Set(stored).subtracting(answered)
        #expect(lost.isEmpty, "acknowledged writes not in the database: \(lost.sorted())")
        #expect(extra.isEmpty && stored.count == entries.count, "rows stored twice or without an answer: \(extra.sorted()) (stored \(stored.count), writes \(entries.count))")
        #expect(integrity == ["ok"], "integrity_check: \(integrity)")

        let admin = try await host.operatorClient()
        let audit = try await admin.call("xinyu.admin.v1.Admin/VerifyAudit", Xinyu_Admin_V1_VerifyAuditRequest(), as: Xinyu_Admin_V1_VerifyAuditResponse.self)
        #expect(audit.intact, "audit chain: \(audit.problem)")
        await admin.close()
        print("fault-suite \(run): \(ledger.summary) lost=\(lost.count) doubled=\(extra.count) replay-mismatch=\(mismatched.count) integrity=\(integrity.joined()) audit-intact=\(audit.intact) audit-checked=\(audit.checked)")
    }
}

/// Whether `pid` has ended (gone, or a zombie nobody has reaped yet).
func processEnded(_ pid: Int32) -> Bool {
    if kill(pid, 0) != 0 { return true }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return true }
    return stat[stat.index(close, offsetBy: 2)] == "Z"
}

/// Sends SIGSTOP and returns once the kernel shows every thread of `pid` stopped ("T"): the
/// signal is only queued when kill returns, and a thread already running may finish a call first.
func stopProcess(_ pid: Int32) async throws {
    kill(pid, SIGSTOP)
    try await waitUntil("process \(pid) stopped", timeout: .seconds(10)) {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return false }
        return tasks.allSatisfy { tid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return true }
            return stat[stat.index(close, offsetBy: 2)] == "T"
        }
    }
}
