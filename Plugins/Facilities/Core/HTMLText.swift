/// Escapes text for HTML element content and attribute values: everything typed by a person
/// (a note, a name) goes through here before it reaches a report.
public enum HTMLText {
    /// `text` with & < > " ' replaced by entities.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
