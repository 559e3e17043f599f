import ArgumentParser
import Foundation
import XinyuCoreAPI

/// `xinyu admin tokens issue|list|revoke`.
struct AdminTokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "API tokens: issue (shown once), list, revoke.",
        subcommands: [Issue.self, List.self, Revoke.self], defaultSubcommand: List.self)

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a token to a principal. The secret is shown once; store it in a 0600 file.")
        @Argument(help: "Principal id.") var principal: String
        @Option(help: "What the token is for.") var label: String = ""
        @Option(help: "Lifetime in days (default: the host's security.token_default_days).") var days: UInt32 = 0
        @Option(help: "Write the token to this file (created 0600) instead of printing it.") var output: String?
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                var request = Xinyu_Admin_V1_IssueTokenRequest()
                request.principalID = principal
                request.label = label
                request.validDays = days
                let issued = try await adminCall(connection, "IssueToken", request, as: Xinyu_Admin_V1_IssuedToken.self)
                if let output {
                    guard FileManager.default.createFile(atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                        throw CLIError("cannot create \(output)")
                    }
                    try Data((issued.token + "\n").utf8).write(to: URL(fileURLWithPath: output))
                    print("token \(issued.record.id) for \(issued.record.principalID) written to \(output) (mode 0600), expires \(formatTime(ms: issued.record.expiresAtMs))")
                } else {
                    print(issued.token)
                    FileHandle.standardError.write(Data("token \(issued.record.id) for \(issued.record.principalID), expires \(formatTime(ms: issued.record.expiresAtMs)); it is not shown again\n".utf8))
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (ids only; secrets are never stored).")
        @Option(help: "Only this principal's tokens.") var principal: String = ""
        @Flag(help: "Include revoked and expired tokens.") var all = false
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                var request = Xinyu_Admin_V1_ListTokensRequest()
                request.principalID = principal
                request.includeInactive = all
                let response = try await adminCall(connection, "ListTokens", request, as: Xinyu_Admin_V1_ListTokensResponse.self)
                var rows = [["TOKEN", "PRINCIPAL", "LABEL", "CREATED", "LAST USED", "EXPIRES", "REVOKED"]]
                for t in response.tokens {
                    rows.append([t.id, t.principalID, t.label.isEmpty ? "-" : t.label, formatTime(ms: t.createdAtMs), formatTime(ms: t.lastUsedAtMs), formatTime(ms: t.expiresAtMs),
                                 t.revokedAtMs == 0 ? "-" : "\(formatTime(ms: t.revokedAtMs)) by \(t.revokedBy)"])
                }
                print(TextTable.render(rows))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token; connections using it fail their next call.")
        @Argument(help: "Token id (the part after xyt_, as listed).") var id: String
        @Option(help: "Why (kept in the audit trail).") var reason: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                var request = Xinyu_Admin_V1_RevokeTokenRequest()
                request.id = id
                request.reason = reason
                let record = try await adminCall(connection, "RevokeToken", request, as: Xinyu_Admin_V1_TokenRecord.self, idempotent: true)
                print("revoked token \(record.id) of \(record.principalID)")
            }
        }
    }
}
