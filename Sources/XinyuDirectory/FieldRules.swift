/// The format rules shared by every entity: ids, names, phones, roles.
///
/// Each function returns nil when the value is fine, or the problem in words a person can act on.
/// Values are expected already trimmed (see ``trimmed(_:)``).
enum FieldRules {
    static let maxIDLength = 32
    static let maxNameLength = 64
    static let maxRelationLength = 32

    /// `text` without surrounding whitespace, including the ideographic space U+3000 that
    /// Chinese input methods leave behind.
    static func trimmed(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }

    /// Ids (school, class, student, staff, role): 1–32 ASCII letters, digits, '-' or '_'.
    static func idProblem(_ id: String, required: Bool = true) -> String? {
        if id.isEmpty { return required ? "is required" : nil }
        if id.count > maxIDLength { return "'\(id.prefix(40))…' is longer than \(maxIDLength) characters" }
        guard id.utf8.allSatisfy(isIDByte) else {
            var problem = "'\(id)' may contain only letters, digits, '-' and '_'"
            if looksLikeScientificNotation(id) {
                // Excel shows long numbers like 学籍号 as 1.23E+17 and saves them that way.
                problem += "; Excel turned a long number into scientific notation: format the column as Text and type the ids again"
            }
            return problem
        }
        return nil
    }

    /// Names and similar free text: required, at most `limit` characters of any script, one line.
    /// The value is never quoted back: it may be a child's name.
    static func textProblem(_ text: String, limit: Int = maxNameLength, required: Bool = true) -> String? {
        if text.isEmpty { return required ? "is required" : nil }
        if text.count > limit { return "is \(text.count) characters long, more than the limit of \(limit)" }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "contains a line break or another control character"
        }
        return nil
    }

    /// Phone numbers: digits with an optional leading '+', 5–20 characters in all.
    static func phoneProblem(_ phone: String) -> String? {
        if phone.isEmpty { return "is required" }
        let digits = phone.hasPrefix("+") ? phone.utf8.dropFirst() : phone.utf8[...]
        guard (5...20).contains(phone.utf8.count), !digits.isEmpty, digits.allSatisfy(isDigit) else {
            var problem = "'\(phone)' is not a phone number (digits with an optional leading +, 5 to 20 characters, no spaces or dashes)"
            if looksLikeScientificNotation(phone) {
                problem += "; Excel turned the number into scientific notation: format the column as Text"
            }
            return problem
        }
        return nil
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func isIDByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
    }

    private static func looksLikeScientificNotation(_ text: String) -> Bool {
        text.uppercased().contains("E+") && text.contains(".")
    }
}
