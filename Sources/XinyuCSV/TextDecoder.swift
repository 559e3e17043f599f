/// Turns the raw bytes of an uploaded file into text, detecting the encoding.
///
/// Files arrive from Excel on Chinese Windows in three shapes: UTF-8, UTF-8 with
/// a BOM, or GBK. Guessing wrong silently corrupts Chinese names, so the rules
/// are strict: anything that is valid UTF-8 is UTF-8 (GBK text with Chinese in it
/// is almost never valid UTF-8), everything else must decode completely as GBK,
/// and otherwise the file is rejected with the line to look at.
public enum TextDecoder {
    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Strips a UTF-8 BOM; valid UTF-8 is UTF-8; otherwise decodes as GBK
    /// (via iconv's GB18030, a superset of GBK).
    ///
    /// - Throws: `CSVError.undecodable(line:)` naming the first line that is
    ///   neither valid UTF-8 nor GBK. If every line decodes on its own but the
    ///   file mixes encodings, the first line that breaks the encoding most
    ///   lines agree with is named. A file with a BOM must be UTF-8
    ///   throughout: the BOM is a promise, so GBK is not tried.
    public static func decode(_ bytes: [UInt8]) throws(CSVError) -> DecodedText {
        if bytes.starts(with: bom) {
            let body = bytes[bom.count...]
            guard let text = String(validating: body, as: UTF8.self) else {
                throw .undecodable(line: firstInvalidUTF8Line(in: bytes))
            }
            return DecodedText(text: text, encoding: .utf8BOM)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return DecodedText(text: text, encoding: .utf8)
        }
        guard let converter = GBKConverter() else {
            // No GBK tables on this machine: the best we can say is where UTF-8 failed.
            throw .undecodable(line: firstInvalidUTF8Line(in: bytes))
        }
        switch converter.convert(bytes[...]) {
        case .success(let utf8):
            return DecodedText(text: String(decoding: utf8, as: UTF8.self), encoding: .gbk)
        case .failure:
            throw .undecodable(line: culpritLine(in: bytes, converter: converter))
        }
    }

    /// Finds the line a person should look at when neither encoding worked.
    ///
    /// GBK is stateless and never uses CR or LF inside a character, so checking
    /// line by line finds exactly the lines where each whole-file attempt breaks.
    private static func culpritLine(in bytes: [UInt8], converter: GBKConverter) -> Int {
        var firstBadUTF8: Int?, badUTF8Count = 0
        var firstBadGBK: Int?, badGBKCount = 0
        for (index, range) in LineBreaks.lineRanges(in: bytes).enumerated() {
            let line = bytes[range]
            let utf8OK = String(validating: line, as: UTF8.self) != nil
            let gbkOK = (try? converter.convert(line).get()) != nil
            if !utf8OK && !gbkOK { return index + 1 }
            if !utf8OK { badUTF8Count += 1; firstBadUTF8 = firstBadUTF8 ?? index + 1 }
            if !gbkOK { badGBKCount += 1; firstBadGBK = firstBadGBK ?? index + 1 }
        }
        // Every line decodes in one encoding or the other: the file mixes them
        // (e.g. two exports pasted together). The encoding most lines agree with
        // is the file's; its first failing line is the odd one out.
        if badUTF8Count <= badGBKCount, let line = firstBadUTF8 { return line }
        return firstBadGBK ?? firstBadUTF8 ?? 1
    }

    /// The first line that is not valid UTF-8, for files that can only be UTF-8.
    private static func firstInvalidUTF8Line(in bytes: [UInt8]) -> Int {
        let ranges = LineBreaks.lineRanges(in: bytes)
        for (index, range) in ranges.enumerated() {
            var line = bytes[range]
            if index == 0, line.starts(with: bom) { line = line.dropFirst(bom.count) }
            if String(validating: line, as: UTF8.self) == nil { return index + 1 }
        }
        return ranges.count
    }
}
