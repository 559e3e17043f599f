import ArgumentParser
import Foundation
import XinyuCoreAPI

/// `xinyu admin backup --to DIR`: an online copy of the main and audit databases.
struct AdminBackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the main and audit databases into a new folder while the host serves.",
        discussion: """
            The folder is on the host's machine and written by the host's user; a relative path is \
            taken from this shell's folder. The audit key is not copied: keep it elsewhere \
            (docs/OPERATIONS.md, "Back up and restore").
            """)

    @Option(name: .customLong("to"), help: "A folder that holds no backup yet (created owner-only if missing).")
    var directory: String
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await runReportingErrors {
            var request = Xinyu_Admin_V1_BackupRequest()
            // The host has its own working folder: send an absolute path.
            request.directory = URL(fileURLWithPath: directory).standardizedFileURL.path
            let response = try await adminCall(connection, "Backup", request, as: Xinyu_Admin_V1_BackupResponse.self)
            for file in response.files {
                print("\(file.role): \(file.path) (\(file.bytes) bytes; restore to \(file.restoreTo))")
            }
            print("xinyu-host \(response.hostVersion), audit chain up to entry \(response.auditLastSequence), finished \(formatTime(ms: response.finishedAtMs))")
            print("not copied: the audit key \(response.auditKeyFile): keep a copy of it apart from this backup")
        }
    }
}
