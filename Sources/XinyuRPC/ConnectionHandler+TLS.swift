import NIOCore
import NIOSSL

/// The TLS side of the protocol engine: learning who the peer is from its certificate.
extension ConnectionHandler {
    /// Copies the verified peer certificate onto the connection so that it is there, read
    /// from any thread, when the delegate authenticates the Hello.
    ///
    /// Called when the first protocol frame arrives (the Hello on the acceptor, the Welcome on
    /// the opener): TLS decrypts nothing before its handshake is done, so by then the peer's
    /// certificate is known. This needs no TLS event and works the same without TLS (no-op).
    func recordPeerCertificate(context: ChannelHandlerContext) {
        guard let connection, connection.peerCertificate == nil,
            let tls = try? context.pipeline.syncOperations.handler(type: NIOSSLHandler.self),
            let certificate = tls.peerCertificate
        else { return }
        do {
            connection.recordPeerCertificate(try PeerCertificate(certificate))
        } catch {
            logger.warning("cannot read the peer's certificate", metadata: ["error": "\(error)"])
        }
    }
}
