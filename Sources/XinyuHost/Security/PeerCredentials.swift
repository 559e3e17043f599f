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
        let future: EventLoopFuture<LinuxPeerCredentials> = provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(Self.soPeerCred))
        return try? await future.get().uid
        #else
        return nil
        #endif
    }

    /// Linux's SO_PEERCRED option number (asm-generic/socket.h); Glibc's module map only
    /// exports it with _GNU_SOURCE.
    static let soPeerCred: Int32 = 17

    /// The layout of Linux's `struct ucred` (pid_t, uid_t, gid_t: three 32-bit fields, no
    /// padding), which Glibc's module map does not export without _GNU_SOURCE.
    struct LinuxPeerCredentials: Sendable {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }

    /// Whether `uid` may act as the operator: the host's own user, or root.
    static func isOperator(_ uid: UInt32) -> Bool {
        uid == getuid() || uid == 0
    }
}
