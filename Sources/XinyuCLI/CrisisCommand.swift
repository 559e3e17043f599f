import ArgumentParser
import Foundation
import SwiftProtobuf
import XinyuCrisisAPI

/// `xinyu crisis …`: the crisis plugin's everyday commands.
struct CrisisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "crisis", abstract: "Crisis work (危机干预): the daily workbench.", subcommands: [WorkCommand.self])

    /// `xinyu crisis work`: the caller's workbench (ListMyWork) as a table, or JSON.
    struct WorkCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "work", abstract: "What you owe today, most urgent first (cases to assign, reviews, follow-ups, concerns, approvals, returns).",
            discussion: "Deadlines are shown in the city's time zone. Only what your data scope and permissions allow is listed.")

        @Option(help: "Only this school.")
        var school: String?

        @Option(help: "At most this many items (1–1000, default 200).")
        var limit: Int32?

        @Flag(help: "Print the response as protobuf JSON instead of a table.")
        var json = false

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                var request = Xinyu_Crisis_V1_ListMyWorkRequest()
                request.schoolID = school ?? ""
                request.limit = limit ?? 0
                let response = try await connection.withClient { client in
                    try await client.call("xinyu.crisis.v1.Crisis/ListMyWork", request, as: Xinyu_Crisis_V1_ListMyWorkResponse.self, options: connection.callOptions)
                }
                if json {
                    var options = JSONEncodingOptions()
                    options.preserveProtoFieldNames = true
                    print(try response.jsonString(options: options))
                } else {
                    print(WorkTable.render(response), terminator: "")
                }
            }
        }
    }
}

/// The workbench as a plain-text table whose columns line up also with Chinese names (a CJK
/// character takes two terminal columns).
enum WorkTable {
    static let kindNames: [Xinyu_Crisis_V1_WorkKind: String] = [
        .caseToAssign: "assign case", .reviewDue: "review", .followUpDue: "follow-up",
        .concernToAcknowledge: "concern", .approvalToDecide: "approval", .returnToAssess: "return",
    ]

    static func render(_ response: Xinyu_Crisis_V1_ListMyWorkResponse) -> String {
        var out = "Work for \(response.today) (\(response.timeZone)): \(response.total) item\(response.total == 1 ? "" : "s")"
        if Int(response.total) > response.items.count { out += ", first \(response.items.count) shown" }
        out += "\n"
        guard !response.items.isEmpty else { return out + "Nothing owed.\n" }
        let header = ["DUE", "", "WORK", "LEVEL", "STUDENT", "NAME", "SCHOOL", "REF", "WHAT"]
        let rows = response.items.map { item in
            [item.dueLocal.isEmpty ? "-" : item.dueLocal, item.overdue ? "OVERDUE" : "", kindNames[item.kind] ?? "\(item.kind)",
             item.level == 0 ? "-" : String(item.level), item.studentID, item.studentName, item.schoolID, item.refID, item.what]
        }
        let widths = header.indices.map { column in ([header] + rows).map { displayWidth($0[column]) }.max() ?? 0 }
        for row in [header] + rows {
            let cells = row.indices.map { column in
                column == row.count - 1 ? row[column] : row[column] + String(repeating: " ", count: widths[column] - displayWidth(row[column]))
            }
            out += cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        return out
    }

    /// Terminal columns `text` takes: East Asian wide characters (CJK, full-width forms) count two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                return width + 2
            default:
                return width + 1
            }
        }
    }
}
