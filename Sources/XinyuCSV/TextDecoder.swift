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
    ///   file mixes encodings, the line where the more plausible encoding (the
    ///   one that got further) broke down is named. A file with a BOM must be
    ///   UTF-8 throughout: the BOM is a promise, so GBK is not tried.
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
        case .failure(let failure):
            throw .undecodable(line: culpritLine(in: bytes, converter: converter, gbkFailureOffset: failure.offset))
        }
    }

    /// Finds the line a person should look at when neither encoding worked.
    private static func culpritLine(in bytes: [UInt8], converter: GBKConverter, gbkFailureOffset: Int) -> Int {
        let ranges = LineBreaks.lineRanges(in: bytes)
        var firstBadUTF8Line: Int?
        for (index, range) in ranges.enumerated() {
            let line = bytes[range]
            guard String(validating: line, as: UTF8.self) == nil else { continue }
            if firstBadUTF8Line == nil { firstBadUTF8Line = index + 1 }
            if case .failure = converter.convert(line) { return index + 1 }
        }
        // Every line decodes in one encoding or the other: a mixed file. Each
        // whole-file attempt stopped somewhere; the one that got further is the
        // file's real encoding, so its stopping line is the odd one out.
        let gbkLine = LineBreaks.line(atOffset: gbkFailureOffset, in: bytes)
        return max(gbkLine, firstBadUTF8Line ?? 1)
    }

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
