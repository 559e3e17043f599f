import XinyuHomeschoolAPI
import XinyuPluginSDK

// Every status the homeschool plugin stores, declared once: the proto value, the text in its
// column, and so the column's CHECK clause (`HomeschoolStatusTests` holds them to the schema).

extension Xinyu_Homeschool_V1_VisitStatus: StoredEnum {
    /// `homeschool_visits.status`.
    public static let storedCases: [(value: Self, text: String)] = [(.planned, "planned"), (.done, "done")]
    /// "visit status".
    public static var valueName: String { "visit status" }
}

extension Xinyu_Homeschool_V1_VisitMode: StoredEnum {
    /// `homeschool_visits.mode`.
    public static let storedCases: [(value: Self, text: String)] = [(.inPerson, "in_person"), (.online, "online")]
    /// "visit mode".
    public static var valueName: String { "visit mode" }
}

extension Xinyu_Homeschool_V1_Responsibility: StoredEnum {
    /// `homeschool_acknowledgements.responsibility`: the texts `AcknowledgementOutcome` decides on.
    public static let storedCases: [(value: Self, text: String)] = [(.informed, "informed"), (.treatment, "treatment"), (.safety, "safety")]
    /// "responsibility".
    public static var valueName: String { "responsibility" }
}

extension Xinyu_Homeschool_V1_SpecialVisitStatus: StoredEnum {
    /// `homeschool_special_visits.status`.
    public static let storedCases: [(value: Self, text: String)] = [(.open, "open"), (.done, "done"), (.refused, "refused")]
    /// "special visit status".
    public static var valueName: String { "special visit status" }
}

typealias VisitStatus = Xinyu_Homeschool_V1_VisitStatus
typealias VisitMode = Xinyu_Homeschool_V1_VisitMode
typealias Responsibility = Xinyu_Homeschool_V1_Responsibility
typealias SpecialVisitStatus = Xinyu_Homeschool_V1_SpecialVisitStatus

extension Xinyu_Homeschool_V1_ParentEventKind: StoredEnum {
    /// `homeschool_parent_events.kind`.
    public static let storedCases: [(value: Self, text: String)] = [(.lecture, "lecture"), (.salon, "salon"), (.microLesson, "micro_lesson"), (.parentSchool, "parent_school")]
    /// "parent event kind".
    public static var valueName: String { "parent event kind" }
}

typealias ParentEventKind = Xinyu_Homeschool_V1_ParentEventKind
