import Foundation
import NIOCore

/// Where a peer listens: a Unix socket path or a TCP host and port.
public enum PeerAddress: Sendable, Hashable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: Int)

    /// Parses "unix:PATH" or any text with a "/" (a Unix socket path, absolute or relative), or
    /// "tcp://host:port" / "host:port".
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("unix:") {
            self = .unix(path: String(trimmed.dropFirst(5)))
        } else if !trimmed.hasPrefix("tcp://") && trimmed.contains("/") {
            self = .unix(path: trimmed)
        } else {
            let rest = trimmed.hasPrefix("tcp://") ? String(trimmed.dropFirst(6)) : trimmed
            guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else {
                throw RPCAddressError(text: text)
            }
            var host = String(rest[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            self = .tcp(host: host, port: port)
        }
    }

    public var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port): host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        }
    }
}

/// An address that could not be parsed.
public struct RPCAddressError: Error, CustomStringConvertible {
    /// The text given.
    public let text: String
    public var description: String {
        "cannot read address '\(text)': use unix:/path/to/socket or tcp://host:port"
    }
}
