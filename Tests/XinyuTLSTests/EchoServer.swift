import NIOConcurrencyHelpers
import NIOCore
import XinyuRPC
import XinyuWire

/// A listener's delegate that lets every Hello in and echoes every call's payload, and
/// remembers what it saw: which certificate each authenticated peer had, and why each
/// connection closed.
final class EchoServer: RPCConnectionDelegate {
    private let seen = NIOLockedValueBox(Seen())

    struct Seen {
        var authenticated: [PeerCertificate?] = []
        var remoteAddresses: [String] = []
        var closeReasons: [String] = []
    }

    /// The peer certificate of each connection, as it stood when the Hello was authenticated.
    var authenticatedCertificates: [PeerCertificate?] { seen.withLockedValue { $0.authenticated } }
    /// `remoteAddressDescription` of each authenticated connection.
    var remoteAddresses: [String] { seen.withLockedValue { $0.remoteAddresses } }
    /// Why each connection closed, in order.
    var closeReasons: [String] { seen.withLockedValue { $0.closeReasons } }

    func authenticate(hello: Xinyu_Wire_V1_Hello, connection: RPCConnection) async -> Result<Xinyu_Wire_V1_Principal, RPCError> {
        let certificate = connection.peerCertificate
        let address = connection.remoteAddressDescription
        seen.withLockedValue {
            $0.authenticated.append(certificate)
            $0.remoteAddresses.append(address)
        }
        var principal = Xinyu_Wire_V1_Principal()
        principal.id = certificate.map { "agency:\($0.commonName ?? "?")" } ?? "anonymous"
        return .success(principal)
    }

    func callStarted(_ call: InboundCall) {
        call.connection.reply(call.streamID, payload: call.payload)
    }

    func connectionClosed(_ connection: RPCConnection, reason: String) {
        seen.withLockedValue { $0.closeReasons.append(reason) }
    }
}

/// The client side serves nothing.
final class SilentClient: RPCConnectionDelegate {}
