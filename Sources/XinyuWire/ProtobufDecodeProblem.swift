import SwiftProtobuf

/// Says in words why some bytes are not a valid encoding of a message type, for the caller who
/// sent them: which field, at which byte, and what is wrong with it.
///
/// swift-protobuf reports only a bare case such as `malformedProtobuf` or `truncated`, which
/// tells a partner writing a client in another language nothing. This runs only after a decode
/// has failed, so it may decode again: it walks the top-level fields (a broken tag, length or
/// varint is named exactly), then decodes each field alone to find the one the type rejects
/// (a string that is not UTF-8, a nested message that is malformed), and looks inside a rejected
/// length-delimited field the same way, since it is then a nested message.
public enum ProtobufDecodeProblem {
    /// The problem in words, without the type name, e.g.
    /// `field 1 (length-delimited) at byte 0: inside it, field 6 (length-delimited) at byte 25 claims 40 bytes, only 3 remain`.
    public static func describe<M: SwiftProtobuf.Message>(_ bytes: [UInt8], as type: M.Type, error: Error) -> String {
        let fields: [WireField]
        switch scan(bytes[...]) {
        case .failure(let problem): return problem.text
        case .success(let scanned): fields = scanned
        }
        for field in fields {
            do {
                _ = try M(serializedBytes: Array(bytes[field.range]))
            } catch {
                return "\(field.label): \(detail(of: field, in: bytes, error: error))"
            }
        }
        // Each field decodes alone but not together: name the decoder's reason.
        return words(for: error)
    }

    /// Why one field was rejected: a problem inside it when it is a nested message, else the
    /// decoder's reason.
    private static func detail(of field: WireField, in bytes: [UInt8], error: Error) -> String {
        if field.wireType == 2, let decoding = error as? BinaryDecodingError,
           decoding == .truncated || decoding == .malformedProtobuf,
           case .failure(let inner) = scan(bytes[field.contents]) {
            return "inside it, \(inner.text)"
        }
        if field.wireType == 2, let decoding = error as? BinaryDecodingError, decoding == .malformedProtobuf {
            return "its bytes are not a valid encoding of the field's declared type (a nested message or a packed list that is cut short or malformed)"
        }
        return words(for: error)
    }

    /// The decoder's error in words.
    public static func words(for error: Error) -> String {
        guard let decoding = error as? BinaryDecodingError else { return String(describing: error) }
        switch decoding {
        case .truncated: return "the bytes end in the middle of a field"
        case .malformedProtobuf: return "the bytes are not a valid protobuf encoding (a bad tag, wire type or length)"
        case .invalidUTF8: return "a string field holds bytes that are not valid UTF-8"
        case .messageDepthLimit: return "messages are nested deeper than the decoder allows"
        case .trailingGarbage: return "extra bytes follow the end of the message"
        case .missingRequiredFields: return "a required field is missing"
        case .internalExtensionError: return "the decoder failed on an extension field"
        }
    }

    /// One top-level field: where it is, and where its contents are.
    private struct WireField {
        let number: UInt64
        let wireType: UInt64
        let range: Range<Int>
        let contents: Range<Int>
        var label: String { "field \(number) (\(ProtobufDecodeProblem.wireTypeName(wireType))) at byte \(range.lowerBound)" }
    }

    private struct Problem: Error {
        let text: String
    }

    /// Walks the fields of `bytes`, or names the first structural problem. A slice keeps its
    /// parent's indices, so every position is counted from the start of the whole payload.
    private static func scan(_ bytes: ArraySlice<UInt8>) -> Result<[WireField], Problem> {
        var fields: [WireField] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let start = index
            guard let tag = readVarint(bytes, &index) else {
                return .failure(Problem(text: "the tag at byte \(start) is cut off or longer than 10 bytes"))
            }
            let number = tag >> 3
            let wireType = tag & 7
            if number == 0 { return .failure(Problem(text: "byte \(start) starts a tag with field number 0, which no field has")) }
            let label = "field \(number) (\(wireTypeName(wireType))) at byte \(start)"
            var contentStart = index
            switch wireType {
            case 0:
                guard readVarint(bytes, &index) != nil else {
                    return .failure(Problem(text: "\(label): the varint is cut off or longer than 10 bytes"))
                }
            case 1, 5:
                let size = wireType == 1 ? 8 : 4
                guard bytes.endIndex - index >= size else {
                    return .failure(Problem(text: "\(label) needs \(size) bytes, only \(bytes.endIndex - index) remain"))
                }
                index += size
            case 2:
                guard let length = readVarint(bytes, &index) else {
                    return .failure(Problem(text: "\(label): its length is cut off or longer than 10 bytes"))
                }
                contentStart = index
                guard length <= UInt64(bytes.endIndex - index) else {
                    return .failure(Problem(text: "\(label) claims \(length) bytes, only \(bytes.endIndex - index) remain"))
                }
                index += Int(length)
            default:
                return .failure(Problem(text: "\(label): wire type \(wireType) is not used by proto3 messages (only 0, 1, 2 and 5 are)"))
            }
            fields.append(WireField(number: number, wireType: wireType, range: start..<index, contents: contentStart..<index))
        }
        return .success(fields)
    }

    private static func readVarint(_ bytes: ArraySlice<UInt8>, _ index: inout Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.endIndex, shift < 70 {
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }

    static func wireTypeName(_ wireType: UInt64) -> String {
        switch wireType {
        case 0: "varint"
        case 1: "64-bit"
        case 2: "length-delimited"
        case 3: "group start"
        case 4: "group end"
        case 5: "32-bit"
        default: "wire type \(wireType)"
        }
    }
}
