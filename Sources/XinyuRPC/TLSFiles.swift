import Foundation
import NIOSSL

/// Loads PEM files for TLS settings, turning each failure into a ``TLSSettingsError`` that
/// names the setting and the file. NIOSSL's own errors ("failedToLoadCertificate") say neither.
enum TLSFiles {
    static func certificates(_ path: String, setting: String) throws -> [NIOSSLCertificate] {
        try checkReadable(path, setting: setting)
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw TLSSettingsError(setting: setting, path: path, problem: "not a PEM certificate")
        }
        guard !certificates.isEmpty else {
            throw TLSSettingsError(setting: setting, path: path, problem: "not a PEM certificate (no BEGIN CERTIFICATE block in it)")
        }
        return certificates
    }

    static func privateKey(_ path: String, setting: String) throws -> NIOSSLPrivateKey {
        try checkReadable(path, setting: setting)
        do {
            return try NIOSSLPrivateKey(file: path, format: .pem)
        } catch {
            // The error is not shown: it could only say the bytes did not parse.
            throw TLSSettingsError(setting: setting, path: path, problem: "not a PEM private key (or it is encrypted; give an unencrypted key)")
        }
    }

    private static func checkReadable(_ path: String, setting: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TLSSettingsError(setting: setting, path: path, problem: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw TLSSettingsError(setting: setting, path: path, problem: "is a directory, not a file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw TLSSettingsError(setting: setting, path: path, problem: "cannot be read (permission denied)")
        }
    }
}
