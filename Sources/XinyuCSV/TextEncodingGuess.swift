/// The encoding a CSV file turned out to be in.
///
/// Reported back to callers so an import summary can tell a person which
/// encoding was assumed; if Chinese names look wrong, this is the first clue.
/// The raw values are stable strings suitable for logs and API responses.
public enum TextEncodingGuess: String, Sendable {
    /// Plain UTF-8 without a byte order mark (e.g. "CSV UTF-8" from WPS, most tools).
    case utf8 = "utf-8"
    /// UTF-8 preceded by the EF BB BF byte order mark (Excel's "CSV UTF-8").
    case utf8BOM = "utf-8-bom"
    /// GBK, decoded as its superset GB18030 (Excel's plain "CSV" on Chinese Windows).
    case gbk = "gbk"
}
