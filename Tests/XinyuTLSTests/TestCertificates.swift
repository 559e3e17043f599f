import Foundation

/// Certificates made once per test run by scripts/dev-certs.sh, in a temporary folder.
///
/// `trusted` is the dev CA the listener trusts; `stranger` is a second run of the same
/// script: an unrelated CA whose client certificate has the very same subject (CN=kangning),
/// which is what a forged agency certificate would look like.
struct TestCertificates: Sendable {
    /// Folder with ca.pem, server.pem/.key and client-kangning.pem/.key from the dev CA.
    let trusted: String
    /// The same files from an unrelated CA.
    let stranger: String
    /// The temporary folder holding both.
    let root: String

    /// Made on first use; every test in the process shares them.
    static let shared: Result<TestCertificates, any Error> = Result { try make() }

    static func get() throws -> TestCertificates { try shared.get() }

    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static func make() throws -> TestCertificates {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-tls-\(UUID().uuidString)").path
        let certificates = TestCertificates(trusted: root + "/trusted", stranger: root + "/stranger", root: root)
        try runScript(outputDirectory: certificates.trusted)
        try runScript(outputDirectory: certificates.stranger)
        return certificates
    }

    private static func runScript(outputDirectory: String) throws {
        let script = repositoryRoot.appendingPathComponent("scripts/dev-certs.sh").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, outputDirectory]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            throw CertificateScriptError(message: "cannot run \(script): \(error)")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CertificateScriptError(message: "\(script) exited \(process.terminationStatus): \(text)")
        }
    }

    /// File `name` in `folder`.
    func file(_ folder: String, _ name: String) -> String { folder + "/" + name }
}

/// dev-certs.sh did not run or failed (is openssl installed?).
struct CertificateScriptError: Error, Sendable, CustomStringConvertible {
    let message: String
    var description: String { message }
}
