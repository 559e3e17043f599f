/// JSON text for SQL arguments: a list of ids bound as one parameter and expanded with
/// `json_each(?)`, so a batch read is one cached statement whatever the batch size.
///
/// ```swift
/// let rows = try Row.fetchAll(db, sql: "SELECT … FROM crisis_levels WHERE student_id IN (SELECT value FROM json_each(?))",
///                             arguments: [JSONArgument.strings(ids)])
/// ```
///
/// Written on bytes rather than with Foundation's encoders: batch imports pass tens of thousands
/// of values, and `JSONSerialization` cost more than the query (issue 5 profile).
public enum JSONArgument {
    /// A JSON array of `values`.
    public static func strings(_ values: some Sequence<String>) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendQuoted(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value` as a JSON string (RFC 8259): quote, backslash and control characters
    /// escaped; everything else, Chinese included, as its own UTF-8. Working on bytes is safe
    /// because every byte of a multi-byte UTF-8 sequence is 0x80 or above.
    public static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
