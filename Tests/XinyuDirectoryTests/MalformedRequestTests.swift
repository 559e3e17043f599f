import NIOCore
import Testing
import XinyuCoreAPI
import XinyuDirectory
import XinyuPluginSDK
import XinyuWire

/// Payload bytes that are not a valid encoding of the request type, and the words the caller gets.
struct MalformedPayload: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let problem: String

    var testDescription: String { name }
}

/// A request whose bytes do not decode is answered INVALID_ARGUMENT naming the message type and
/// saying what is wrong, by field number and byte offset: a partner's protobuf library in
/// another language has no use for swift-protobuf's bare `malformedProtobuf`.
@Suite("Requests that are not valid protobuf")
struct MalformedRequestTests {
    static let prefix = "the request is not a valid xinyu.directory.v1.CreateStudentRequest: "

    static let cases: [MalformedPayload] = [
        // field 1 (student) claims 7 bytes; the payload stops after 3 of them.
        MalformedPayload(name: "truncated field", bytes: [0x0A, 0x07, 0x0A, 0x02, 0x53], problem: "field 1 (length-delimited) at byte 0 claims 7 bytes, only 3 remain"),
        // student { id: "S1", class_id: 5 bytes claimed, 1 present }
        MalformedPayload(
            name: "truncated field inside the nested message",
            bytes: [0x0A, 0x07, 0x0A, 0x02, 0x53, 0x31, 0x32, 0x05, 0x43],
            problem: "field 1 (length-delimited) at byte 0: inside it, field 6 (length-delimited) at byte 6 claims 5 bytes, only 1 remain"),
        // student { name: 0xFF }
        MalformedPayload(name: "invalid UTF-8", bytes: [0x0A, 0x03, 0x12, 0x01, 0xFF], problem: "field 1 (length-delimited) at byte 0: a string field holds bytes that are not valid UTF-8"),
        MalformedPayload(name: "wire type 7", bytes: [0x0F], problem: "field 1 (wire type 7) at byte 0: wire type 7 is not used by proto3 messages (only 0, 1, 2 and 5 are)"),
        MalformedPayload(name: "field number 0", bytes: [0x02, 0x00], problem: "byte 0 starts a tag with field number 0, which no field has"),
        MalformedPayload(name: "cut-off varint", bytes: [0x0A, 0x00, 0x18, 0x80], problem: "field 3 (varint) at byte 2: the varint is cut off or longer than 10 bytes"),
    ]

    @Test("decoding names the type, the field, the byte and the problem", arguments: cases)
    func decode(_ payload: MalformedPayload) throws {
        let error = try #require(throws: RPCError.self) {
            try ProtobufCoding.decode(Xinyu_Directory_V1_CreateStudentRequest.self, from: ByteBuffer(bytes: payload.bytes))
        }
        #expect(error.code == .invalidArgument)
        #expect(error.message == Self.prefix + payload.problem)
        #expect(!error.message.contains("malformedProtobuf"))
    }

    @Test("a call with such a payload ends INVALID_ARGUMENT with those words")
    func call() async throws {
        let harness = try DirectoryHarness()
        let payload = Self.cases[1]
        var start = Xinyu_Wire_V1_CallStart()
        start.method = "\(DirectoryService.serviceName)/CreateStudent"
        let status = await harness.dispatcher.dispatch(
            method: start.method, request: ByteBuffer(bytes: payload.bytes), start: start, principal: administrator,
            deadline: nil, send: { _ in })
        #expect(status.code == .invalidArgument)
        #expect(status.message == Self.prefix + payload.problem)
    }
}
