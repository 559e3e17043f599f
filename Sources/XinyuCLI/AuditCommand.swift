import ArgumentParser
import Foundation
import XinyuCoreAPI

/// `xinyu audit query|verify|who`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The tamper-evident audit log: who did what, and who has looked at a student.",
        subcommands: [Query.self, Verify.self, Who.self], defaultSubcommand: Query.self)

    static func render(_ records: [Xinyu_Admin_V1_AuditRecord]) -> String {
        var rows = [["SEQ", "TIME", "PRINCIPAL", "SOURCE", "METHOD", "OUTCOME", "STUDENTS", "DETAIL"]]
        for r in records {
            rows.append([String(r.sequence), formatTime(ms: r.timeMs), r.principalID, r.source, r.method, r.outcome,
                         r.subjects.isEmpty ? "-" : r.subjects.joined(separator: ","), r.detail.isEmpty ? "-" : r.detail])
        }
        return TextTable.render(rows)
    }

    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Search the audit log.")
        @Option(help: "Only calls by this principal.") var principal: String = ""
        @Option(help: "Only this method or method prefix, e.g. xinyu.crisis.v1.") var method: String = ""
        @Option(help: "Only calls that touched this student id.") var student: String = ""
        @Option(help: "Only this outcome, e.g. PERMISSION_DENIED.") var outcome: String = ""
        @Option(help: "Only the last N hours.") var hours: Double?
        @Option(help: "At most this many records.") var limit: UInt32 = 100
        @Option(help: "Only records after this sequence number (paging).") var after: Int64 = 0
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                var request = Xinyu_Admin_V1_QueryAuditRequest()
                request.principalID = principal
                request.method = method
                request.subject = student
                request.outcome = outcome
                request.limit = limit
                request.afterSequence = after
                if let hours { request.fromMs = Int64((Date().timeIntervalSince1970 - hours * 3600) * 1000) }
                let response = try await adminCall(connection, "QueryAudit", request, as: Xinyu_Admin_V1_QueryAuditResponse.self)
                print(AuditCommand.render(response.records))
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check the hash chain: detects edited, deleted or reordered entries and names where it breaks. Exit 2 when broken.")
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                let response = try await adminCall(connection, "VerifyAudit", Xinyu_Admin_V1_VerifyAuditRequest(), as: Xinyu_Admin_V1_VerifyAuditResponse.self)
                if response.intact {
                    print("audit log intact: \(response.checked) entries checked (\(response.firstSequence)–\(response.lastSequence))")
                } else {
                    print("AUDIT LOG BROKEN at entry \(response.brokenAtSequence): \(response.problem) (\(response.checked) entries checked)")
                    throw ExitCode(2)
                }
            }
        }
    }

    struct Who: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Who has looked at this student? (within your data scope)")
        @Argument(help: "Student id.") var student: String
        @Option(help: "At most this many records.") var limit: UInt32 = 100
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                var request = Xinyu_Admin_V1_WhoAccessedRequest()
                request.studentID = student
                request.limit = limit
                let response = try await adminCall(connection, "WhoAccessed", request, as: Xinyu_Admin_V1_QueryAuditResponse.self)
                print(AuditCommand.render(response.records))
            }
        }
    }
}
