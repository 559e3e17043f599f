import Foundation

/// A system call on behalf of a ``ChildProcess`` failed: says which, for which executable, and
/// the system's reason.
public struct ChildProcessError: Error, LocalizedError, CustomStringConvertible, Equatable {
    /// What was being done, e.g. "cannot start /usr/bin/xinyu-plugin-crisis".
    public let operation: String
    /// The `errno` (or posix_spawn's returned error) that says why.
    public let code: Int32

    public init(_ operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    public var description: String { "\(operation): \(String(cString: strerror(code))) (errno \(code))" }
    public var errorDescription: String? { description }
}
