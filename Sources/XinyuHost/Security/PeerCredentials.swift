#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// The operating-system user on the other end of a local Unix socket (SO_PEERCRED).
///
/// The operator socket is created 0600 already; checking the peer's uid as well means a
/// mis-set umask or a copied socket file still cannot make someone else the operator.
enum PeerCredentials {
    /// The peer's uid, or nil when the platform or channel cannot tell.
    static func uid(of channel: any Channel) async -> UInt32? {
        #if os(Linux)
        guard let provider = channel as? any SocketOptionProvider else { return nil }
        let future: EventLoopFuture<ucred> = provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return try? await future.get().uid
        #else
        return nil
        #endif
    }

    /// Whether `uid` may act as the operator: the host's own user, or root.
    static func isOperator(_ uid: UInt32) -> Bool {
        uid == getuid() || uid == 0
    }
}
