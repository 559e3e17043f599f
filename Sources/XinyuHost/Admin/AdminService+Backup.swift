import Foundation
import XinyuCoreAPI
import XinyuPluginSDK
import XinyuWire

extension AdminService {
    /// `Backup`: copies the main and audit databases into a folder on the host's machine.
    func backup(_ request: Xinyu_Admin_V1_BackupRequest, _ context: CallContext) async throws -> Xinyu_Admin_V1_BackupResponse {
        let folder = request.directory.trimmingCharacters(in: .whitespaces)
        guard !folder.isEmpty else { throw RPCError.invalidField("directory", "required: an absolute folder on the host's machine") }
        let backup = backups
        let result: HostBackup.Result
        do {
            // The copy blocks a thread for as long as it takes (seconds for a large city): off
            // the task pool, whose few threads serve every other call.
            result = try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global(qos: .utility).async {
                    continuation.resume(with: Result { try backup.run(into: folder) })
                }
            }
        } catch let problem as HostBackup.FolderProblem {
            switch problem {
            case let .notAbsolute(path):
                throw RPCError.invalidField("directory", "'\(path)' is not an absolute path; the host resolves nothing against the caller's folder")
            case let .cannotCreate(path, reason):
                throw RPCError(.failedPrecondition, "directory: cannot create \(path) as the host's user: \(reason)")
            case let .holdsBackup(path):
                throw RPCError(.alreadyExists, "directory: \(path) exists; a backup never overwrites one: name a new folder")
            }
        }
        context.noteForAudit("backup to \(folder)")
        var response = Xinyu_Admin_V1_BackupResponse()
        response.files = result.files.map { file in
            var f = Xinyu_Admin_V1_BackupFile()
            f.role = file.role
            f.path = file.path
            f.bytes = file.bytes
            f.restoreTo = file.restoreTo
            return f
        }
        response.hostVersion = backup.hostVersion
        response.finishedAtMs = result.finishedAtMs
        response.auditLastSequence = result.auditLastSequence
        response.auditKeyFile = URL(fileURLWithPath: backup.auditKeyFile).standardizedFileURL.path
        return response
    }
}
