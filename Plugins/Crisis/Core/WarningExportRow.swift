/// One student on the warning list, as reported to the provincial crisis
/// warning and intervention platform (省危机预警干预平台).
///
/// Every field is text as stored, except `level`; dates are ISO "YYYY-MM-DD".
/// docs/CRISIS-EXPORT.md documents each column.
public struct WarningExportRow: Sendable, Equatable {
    /// The city system's student id (学号).
    public var studentID: String
    /// National student registration number (学籍号); may be empty.
    public var nationalStudentID: String
    /// Full name (姓名).
    public var name: String
    /// Gender (性别) as stored, e.g. "男" / "女".
    public var gender: String
    /// Birth date (出生日期), "YYYY-MM-DD".
    public var birthDate: String
    /// School code (学校代码).
    public var schoolID: String
    /// School name (学校名称).
    public var schoolName: String
    /// Class id (班级).
    public var classID: String
    /// Warning level (预警等级) on the period's last day: 1 most severe, 2, 3; 0 when removed within the period.
    public var level: Int
    /// Day the student entered the current level (预警起始日期), "YYYY-MM-DD".
    public var since: String
    /// Why the level was set (预警原因), e.g. the level suggestion's explanation.
    public var reason: String
    /// The dedicated case owner (专人专案责任人).
    public var caseOwner: String
    /// State of the student's plan (一人一表方案状态), e.g. "active".
    public var planStatus: String
    /// How the level moved within the reporting period (期内变动): a ``PeriodChange`` raw value.
    public var change: String

    /// Creates a row.
    public init(
        studentID: String, nationalStudentID: String, name: String, gender: String, birthDate: String,
        schoolID: String, schoolName: String, classID: String, level: Int, since: String,
        reason: String, caseOwner: String, planStatus: String, change: String = PeriodChange.none.rawValue
    ) {
        self.studentID = studentID
        self.nationalStudentID = nationalStudentID
        self.name = name
        self.gender = gender
        self.birthDate = birthDate
        self.schoolID = schoolID
        self.schoolName = schoolName
        self.classID = classID
        self.level = level
        self.since = since
        self.reason = reason
        self.caseOwner = caseOwner
        self.planStatus = planStatus
        self.change = change
    }
}
