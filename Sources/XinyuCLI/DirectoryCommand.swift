import ArgumentParser
import Foundation
import XinyuCoreAPI

/// `xinyu directory import KIND FILE`: bulk import of a roster with a progress bar.
struct DirectoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "directory", abstract: "Work with the directory of schools, classes, students, guardians and staff.", subcommands: [ImportCommand.self])

    struct ImportCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Import a CSV roster (UTF-8, UTF-8 with BOM, or GBK as Excel writes it).",
            discussion: "Every row is checked first; if any row is bad nothing is imported and each problem is listed by line and column, unless --skip-bad-rows is given.")

        @Argument(help: "schools, classes, students, guardians or staff")
        var kind: String

        @Argument(help: "The CSV file.")
        var file: String

        @Flag(help: "Import the good rows and skip the bad ones (which are still listed).")
        var skipBadRows = false

        @Flag(help: "Check the file only; change nothing.")
        var dryRun = false

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let kinds: [String: Xinyu_Directory_V1_RosterKind] = ["schools": .schools, "classes": .classes, "students": .students, "guardians": .guardians, "staff": .staff]
            guard let rosterKind = kinds[kind] else {
                throw ValidationError("unknown roster kind '\(kind)': use one of \(kinds.keys.sorted().joined(separator: ", "))")
            }
            try await runReportingErrors {
                guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
                var request = Xinyu_Directory_V1_ImportRosterRequest()
                request.kind = rosterKind
                request.csv = data
                request.skipBadRows = skipBadRows
                request.dryRun = dryRun
                var options = connection.callOptions
                options.timeout = .seconds(600)
                let bar = ProgressBar(enabled: isatty(STDERR_FILENO) == 1)
                let report = try await connection.withClient { client in
                    var report: Xinyu_Directory_V1_ImportReport?
                    for try await event in try client.stream("xinyu.directory.v1.Directory/ImportRoster", request, as: Xinyu_Directory_V1_ImportRosterEvent.self, options: options) {
                        switch event.event {
                        case .progress(let p)?: bar.update(phase: p.phase, done: p.done, total: p.total)
                        case .report(let r)?: report = r
                        case nil: break
                        }
                    }
                    return report
                }
                bar.finish()
                guard let report else { throw CLIError("the host ended the import without a report") }
                for error in report.errors {
                    let field = error.field.isEmpty ? "" : " \(error.field)"
                    print("line \(error.line)\(field): \(error.problem)")
                }
                let verdict = report.nothingChanged ? "nothing changed" : "imported \(report.imported), skipped \(report.skipped)"
                print("\(report.rows) rows read as \(report.encoding): \(report.errors.count) with problems; \(verdict)")
                if !report.errors.isEmpty && !skipBadRows { throw ExitCode(1) }
            }
        }
    }
}

/// A one-line progress bar on stderr, redrawn in place; silent when stderr is not a terminal.
final class ProgressBar: Sendable {
    let enabled: Bool
    init(enabled: Bool) { self.enabled = enabled }

    func update(phase: String, done: Int64, total: Int64) {
        guard enabled, total > 0 else { return }
        let width = 30
        let filled = Int(Double(width) * Double(done) / Double(total))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = String(format: "\r%@ %@ %3d%% (%lld/%lld)", phase.padding(toLength: 10, withPad: " ", startingAt: 0), bar, Int(100 * done / total), done, total)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
