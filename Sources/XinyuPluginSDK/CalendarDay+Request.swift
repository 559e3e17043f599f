import XinyuDomainKit
import XinyuWire

extension CalendarDay {
    /// The day a request sent as "YYYY-MM-DD" in `field`: empty gives `fallback` (often
    /// `context.today`), or INVALID_ARGUMENT naming the field when there is none; text that is
    /// not a real day is INVALID_ARGUMENT naming the field and the value.
    public static func fromRequest(_ value: String, field: String, default fallback: CalendarDay? = nil) throws(RPCError) -> CalendarDay {
        if value.isEmpty {
            guard let fallback else { throw RPCError.invalidField(field, "is required (YYYY-MM-DD)") }
            return fallback
        }
        guard let day = CalendarDay(value) else {
            throw RPCError.invalidField(field, "\"\(value)\" is not a date (YYYY-MM-DD)")
        }
        return day
    }
}
