/// Line numbering shared by the decoder and the parser.
///
/// Both must agree on what a "line" is, otherwise an encoding error and a
/// parse error in the same file would point at different lines. A line ends
/// at CRLF, LF or a lone CR (old Mac exports), each counting as one break.
/// Neither UTF-8 nor GBK/GB18030 uses 0x0A or 0x0D inside a multi-byte
/// character, so splitting raw bytes this way is safe in every encoding we accept.
enum LineBreaks {
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    /// Byte ranges of each line's content (line ends excluded), in order; the
    /// first range is line 1.
    static func lineRanges(in bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == cr || byte == lf {
                ranges.append(start..<index)
                index += (byte == cr && index + 1 < bytes.count && bytes[index + 1] == lf) ? 2 : 1
                start = index
            } else {
                index += 1
            }
        }
        ranges.append(start..<bytes.count)
        return ranges
    }
}
