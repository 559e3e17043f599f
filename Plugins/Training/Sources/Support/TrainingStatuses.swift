import XinyuPluginSDK
import XinyuTrainingAPI

// Every enumeration the training plugin stores, declared once: the proto value, the text in its
// column and so the column's CHECK clause (TrainingStatusTests holds them to the database).

extension Xinyu_Training_V1_CourseKind: StoredEnum {
    /// `training_courses.kind`.
    public static let storedCases: [(value: Self, text: String)] = [
        (.cCertificate, "c_certificate"), (.bCertificate, "b_certificate"), (.crisisIntervention, "crisis_intervention"),
        (.hospitalShadowing, "hospital_shadowing"), (.themed, "themed"), (.studio, "studio"),
    ]
    /// "course kind".
    public static var valueName: String { "course kind" }

    /// The certificate level a completion of this kind issues (unspecified: none).
    var certifies: Xinyu_Training_V1_CertificateLevel {
        switch self {
        case .cCertificate: .c
        case .bCertificate: .b
        default: .unspecified
        }
    }
}

extension Xinyu_Training_V1_CertificateLevel: StoredEnum {
    /// `training_certificates.level`.
    public static let storedCases: [(value: Self, text: String)] = [(.c, "C"), (.b, "B")]
    /// "certificate level".
    public static var valueName: String { "certificate level" }
}

extension Xinyu_Training_V1_EnrolmentStatus: StoredEnum {
    /// `training_enrolments.status`.
    public static let storedCases: [(value: Self, text: String)] = [
        (.enrolled, "enrolled"), (.waitlisted, "waitlisted"), (.withdrawn, "withdrawn"), (.completed, "completed"),
    ]
    /// "enrolment status".
    public static var valueName: String { "enrolment status" }
}

extension Xinyu_Training_V1_ActivityKind: StoredEnum {
    /// `training_activities.kind`.
    public static let storedCases: [(value: Self, text: String)] = [
        (.psychologyLesson, "psychology_lesson"), (.themeClassMeeting, "theme_class_meeting"), (.electiveOrClub, "elective_or_club"),
        (.lecture, "lecture"), (.may25Campaign, "may_25_campaign"), (.contest, "contest"), (.examSupport, "exam_support"),
        (.microLesson, "micro_lesson"), (.publicAccountArticle, "public_account_article"),
    ]
    /// "activity kind".
    public static var valueName: String { "activity kind" }
}

extension Xinyu_Training_V1_Audience: StoredEnum {
    /// `training_activities.audience`.
    public static let storedCases: [(value: Self, text: String)] = [
        (.students, "students"), (.parents, "parents"), (.teachers, "teachers"), (.public, "public"),
    ]
    /// "audience".
    public static var valueName: String { "audience" }
}
