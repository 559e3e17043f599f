import Crypto
import Foundation
import Testing
import XinyuAudit

@Suite("AuditLog.loadOrCreateKey")
struct AuditKeyTests {
    static func freshKeyPath() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("xinyu-audit-key-\(UUID().uuidString)/secrets/audit.key").path
    }

    static func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    static func bytes(_ key: SymmetricKey) -> [UInt8] {
        key.withUnsafeBytes { Array($0) }
    }

    @Test("creates a 32-byte key with mode 0600, and loads the same key again")
    func createsAndLoads() throws {
        let path = Self.freshKeyPath()
        let created = try AuditLog.loadOrCreateKey(at: path)
        #expect(created.bitCount == 256)
        #expect(try Self.mode(path) == 0o600)
        #expect(FileManager.default.contents(atPath: path).map { [UInt8]($0) } == Self.bytes(created))
        let loaded = try AuditLog.loadOrCreateKey(at: path)
        #expect(Self.bytes(loaded) == Self.bytes(created))
        // No temporary files left beside it.
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["audit.key"])
    }

    @Test("refuses a key file readable by group or others, telling the operator to chmod 600", arguments: [0o644, 0o640, 0o604, 0o660])
    func refusesOpenKey(mode: Int) throws {
        let path = Self.freshKeyPath()
        _ = try AuditLog.loadOrCreateKey(at: path)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        let error = #expect(throws: AuditError.self) { try AuditLog.loadOrCreateKey(at: path) }
        #expect(error == .keyFileTooOpen(path: path, mode: UInt16(mode)))
        #expect(error?.description.contains("chmod 600 \(path)") == true)
    }

    @Test("refuses a key file that does not hold 32 bytes")
    func refusesWrongSize() throws {
        let path = Self.freshKeyPath()
        _ = try AuditLog.loadOrCreateKey(at: path)
        try Data(repeating: 7, count: 16).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(throws: AuditError.keyFileInvalid(path: path, size: 16)) { try AuditLog.loadOrCreateKey(at: path) }
    }

    @Test("two concurrent first loads agree on one key")
    func concurrentCreation() async throws {
        let path = Self.freshKeyPath()
        let keys = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<8 { group.addTask { Self.bytes(try AuditLog.loadOrCreateKey(at: path)) } }
            return try await group.reduce(into: [[UInt8]]()) { $0.append($1) }
        }
        #expect(Set(keys).count == 1)
    }
}
