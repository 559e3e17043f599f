import Testing
import XinyuRPC
import XinyuWire

/// One error model: a handler throws ``RPCError``; ``CallStatus`` is only what the `end` frame
/// carries; transport failures are ``RPCTransportError``s that callers see as an RPCError's cause.
@Suite("Error model")
struct ErrorModelTests {
    struct DiskFull: Error {}

    static func entry(_ key: String, _ value: String) -> Xinyu_Wire_V1_MetadataEntry {
        var entry = Xinyu_Wire_V1_MetadataEntry()
        entry.key = key
        entry.value = value
        return entry
    }

    @Test("the existing spellings still build the same error")
    func compatibleSpellings() {
        let error = RPCError(.notFound, "no student S1")
        #expect(error.code == .notFound && error.message == "no student S1" && error.metadata.isEmpty && error.cause == nil)
        #expect(RPCError.invalidField("class_id", "required") == RPCError(code: .invalidArgument, message: "field class_id: required"))
        #expect("\(error)" == "NOT_FOUND: no student S1")
    }

    @Test("the cause is for logs: not in the description, not in equality, never on the wire")
    func causeStaysLocal() {
        let error = RPCError(.unavailable, "storage is full; retry later", cause: DiskFull())
        #expect(error == RPCError(.unavailable, "storage is full; retry later"))
        #expect(error.description == "UNAVAILABLE: storage is full; retry later")
        #expect(error.debugDescription.contains("DiskFull"))
        let status = CallStatus(error)
        #expect(status == CallStatus(code: .unavailable, message: "storage is full; retry later"))
    }

    @Test("metadata travels as trailers, without reserved xinyu- keys, and comes back as metadata")
    func metadataRoundTrip() {
        let error = RPCError(.failedPrecondition, "case is closed", metadata: [Self.entry("retry-after", "5"), Self.entry("xinyu-subjects", "S1")])
        let status = CallStatus(error)
        #expect(status.trailers == [Self.entry("retry-after", "5")])
        #expect(status.error == RPCError(.failedPrecondition, "case is closed", metadata: [Self.entry("retry-after", "5")]))
        #expect(status.error?.metadataValue("retry-after") == "5")
        #expect(CallStatus.ok.error == nil)
    }

    @Test("a transport failure reaches a caller as an RPCError with its code and message, caused by it")
    func transportErrorAsCause() {
        let transport = RPCTransportError(.handshakeRefused, .unauthenticated, "token revoked")
        let error = transport.rpcError
        #expect(error == RPCError(.unauthenticated, "token revoked"))
        #expect((error.cause as? RPCTransportError)?.kind == .handshakeRefused)
        #expect(transport.description == "handshake refused: UNAUTHENTICATED: token revoked")
    }
}
