import XinyuDomainKit

/// Who must consent to sharing a student's data (PIPL art. 28 and 31): a guardian for every
/// child under 14, and for sensitive personal information (mental-health data) of every minor.
public enum ConsentRule {
    /// The age of majority.
    public static let adultAge = 18
    /// Under this age a child's data is handled only with a guardian's consent.
    public static let guardianAge = 14

    /// Full years between `birth` and `day`.
    public static func age(born birth: CalendarDay, on day: CalendarDay) -> Int {
        let years = day.year - birth.year
        return (day.month, day.day) < (birth.month, birth.day) ? years - 1 : years
    }

    /// True when the consent must come from a guardian.
    public static func needsGuardian(age: Int, sensitive: Bool) -> Bool {
        age < guardianAge || (sensitive && age < adultAge)
    }
}
