import XinyuDomainKit
import XinyuWire

extension StoredEnum where Self: RawRepresentable, Self.RawValue == Int {
    /// The stored text of a proto enum value a request sent in `field`, or INVALID_ARGUMENT
    /// naming the field: "field status: is required (open, closed)" for UNSPECIFIED,
    /// "field kind: 9 is not a school kind (…)" for a number the declaration does not know.
    public static func storedText(of value: Self, field: String) throws(RPCError) -> String {
        guard let text = value.storedText else {
            throw RPCError.invalidField(field, problem(value) ?? "is not a valid \(valueName)")
        }
        return text
    }

    /// `value` itself when valid, or INVALID_ARGUMENT naming `field` (see ``storedText(of:field:)``).
    public static func required(_ value: Self, field: String) throws(RPCError) -> Self {
        _ = try storedText(of: value, field: field)
        return value
    }
}

extension StoredEnum {
    /// The value a request sent as text in `field` (for string fields such as a referral's
    /// status), or INVALID_ARGUMENT naming the field and the accepted texts.
    public static func fromRequest(_ text: String, field: String) throws(RPCError) -> Self {
        guard let value = Self(storedText: text) else {
            throw RPCError.invalidField(field, text.isEmpty ? "is required (\(valueHint))" : "\"\(text)\" is not one of \(valueHint)")
        }
        return value
    }
}
