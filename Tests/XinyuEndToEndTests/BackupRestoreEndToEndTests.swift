import Foundation
import NIOConcurrencyHelpers
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuRPC
import XinyuWire

/// `xinyu.admin.v1.Admin/Backup` and the restore docs/OPERATIONS.md describes, end to end:
/// write, back up while writes continue, restore into a fresh data folder, start, and find the
/// data and the audit chain intact.
@Suite("Backup and restore")
struct BackupRestoreEndToEndTests {
    static func school(_ number: Int) -> Xinyu_Directory_V1_CreateSchoolRequest {
        var request = Xinyu_Directory_V1_CreateSchoolRequest()
        request.school.id = String(format: "BK-%04d", number)
        request.school.name = "备份测试学校\(number)号"
        request.school.district = "海曙区"
        request.school.kind = .senior
        return request
    }

    static func schoolIDs(_ client: XinyuClient) async throws -> [String] {
        var request = Xinyu_Directory_V1_ListSchoolsRequest()
        request.page.pageSize = 500
        var ids: [String] = []
        while true {
            let page = try await client.call("xinyu.directory.v1.Directory/ListSchools", request, as: Xinyu_Directory_V1_ListSchoolsResponse.self)
            ids += page.schools.map(\.id)
            if page.nextPageToken.isEmpty { return ids.sorted() }
            request.page.pageToken = page.nextPageToken
        }
    }

    @Test("a backup taken while writes go on restores into a fresh folder with its data, tokens and audit chain intact")
    func backupWhileServingThenRestore() async throws {
        let host = try await RunningHost(plugins: [])
        let client = try await host.client()
        for number in 1...20 {
            _ = try await client.call("xinyu.directory.v1.Directory/CreateSchool", Self.school(number), as: Xinyu_Directory_V1_School.self)
        }
        // Writes continue, one after another, while the backup runs.
        let written = NIOLockedValueBox(20)
        let writer = Task {
            var number = 21
            while !Task.isCancelled && number <= 2000 {
                _ = try await client.call("xinyu.directory.v1.Directory/CreateSchool", Self.school(number), as: Xinyu_Directory_V1_School.self)
                written.withLockedValue { $0 = number }
                number += 1
            }
        }
        try await waitUntil("writes under way", timeout: .seconds(20)) { written.withLockedValue { $0 } >= 25 }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-backup-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        var request = Xinyu_Admin_V1_BackupRequest()
        request.directory = folder.path
        let backup = try await host.operatorClient().closing { admin in
            try await admin.call("xinyu.admin.v1.Admin/Backup", request, as: Xinyu_Admin_V1_BackupResponse.self)
        }
        let writtenBeforeBackupReturned = written.withLockedValue { $0 }
        writer.cancel()
        _ = await writer.result
        await client.close()

        #expect(backup.files.map(\.role) == ["main", "audit"])
        #expect(backup.auditLastSequence > 20)
        #expect(backup.auditKeyFile == host.directory.appendingPathComponent("audit.key").standardizedFileURL.path)
        for file in backup.files {
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file.path) is \(String(mode ?? 0, radix: 8))")
        }
        let manifest = try String(contentsOf: folder.appendingPathComponent("BACKUP.txt"), encoding: .utf8)
        #expect(manifest.contains("NOT in this folder"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("audit.key").path), "the key must never travel with the backup")

        // A second backup into the same folder is refused and leaves the first alone.
        let again = await #expect(throws: RPCError.self) {
            try await host.operatorClient().closing { admin in
                try await admin.call("xinyu.admin.v1.Admin/Backup", request, as: Xinyu_Admin_V1_BackupResponse.self)
            }
        }
        #expect(again?.code == .alreadyExists)
        #expect(try await host.stop() == 0)

        // Restore as docs/OPERATIONS.md says: the copies to the configured paths, the key (kept
        // elsewhere) to security.audit_key_file, then start.
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-restore-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: fresh, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: folder.appendingPathComponent("xinyu.sqlite"), to: fresh.appendingPathComponent("xinyu.sqlite"))
        try FileManager.default.copyItem(at: folder.appendingPathComponent("audit.sqlite"), to: fresh.appendingPathComponent("audit.sqlite"))
        try FileManager.default.copyItem(at: host.directory.appendingPathComponent("audit.key"), to: fresh.appendingPathComponent("audit.key"))
        // The tester's token was issued before the backup: it must still work after the restore.
        try FileManager.default.copyItem(at: host.directory.appendingPathComponent("tester.token"), to: fresh.appendingPathComponent("tester.token"))

        let restored = try await RunningHost(reusing: fresh, plugins: [])
        let ids = try await restored.client().closing { try await Self.schoolIDs($0) }
        // One consistent snapshot: every school written before the backup started, and then an
        // unbroken run of those written during it, never a gap.
        let numbers = ids.filter { $0.hasPrefix("BK-") }.compactMap { Int($0.dropFirst(3)) }
        #expect(numbers.count >= 25)
        #expect(numbers == Array(1...numbers.count), "restored schools are not a prefix of the writes: \(numbers.prefix(40))")
        #expect(numbers.count <= writtenBeforeBackupReturned + 1)
        let verify = try await restored.operatorClient().closing { admin in
            try await admin.call("xinyu.admin.v1.Admin/VerifyAudit", Xinyu_Admin_V1_VerifyAuditRequest(), as: Xinyu_Admin_V1_VerifyAuditResponse.self)
        }
        #expect(verify.intact, "\(verify.problem)")
        #expect(verify.lastSequence > backup.auditLastSequence, "the restored host appends after the restored chain")
        #expect(try await restored.stop() == 0)
    }

    @Test("a relative or empty folder is refused naming the field")
    func badFolder() async throws {
        let host = try await RunningHost(plugins: [])
        for directory in ["", "relative/backup"] {
            var request = Xinyu_Admin_V1_BackupRequest()
            request.directory = directory
            let error = await #expect(throws: RPCError.self) {
                try await host.operatorClient().closing { admin in
                    try await admin.call("xinyu.admin.v1.Admin/Backup", request, as: Xinyu_Admin_V1_BackupResponse.self)
                }
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains("directory") == true, "\(error?.message ?? "")")
        }
        #expect(try await host.stop() == 0)
    }
}
