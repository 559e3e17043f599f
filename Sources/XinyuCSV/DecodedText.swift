/// Text decoded from a file's bytes, together with the encoding that was detected.
///
/// Kept as a pair so the detected encoding travels with the text into the
/// parsed table and can be reported to the person who uploaded the file.
public struct DecodedText: Sendable {
    /// The decoded text, without any byte order mark.
    public let text: String
    /// The encoding the bytes were decoded from.
    public let encoding: TextEncodingGuess

    /// Pairs decoded text with the encoding it came from.
    public init(text: String, encoding: TextEncodingGuess) {
        self.text = text
        self.encoding = encoding
    }
}
