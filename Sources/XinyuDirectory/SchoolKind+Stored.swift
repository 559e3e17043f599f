import XinyuCoreAPI
import XinyuPluginSDK

/// School kinds as stored (`directory_schools.kind`) and as a spreadsheet writes them ("小学").
extension Xinyu_Directory_V1_SchoolKind: StoredEnum {
    /// The one declaration of the stored kinds; `directory_schools`' CHECK is checked against it.
    public static let storedCases: [(value: Self, text: String)] = [
        (.primary, "primary"), (.junior, "junior"), (.senior, "senior"), (.vocational, "vocational"),
    ]
    /// "school kind".
    public static var valueName: String { "school kind" }
    /// The kinds with the words a spreadsheet uses.
    public static var valueHint: String { "primary/小学, junior/初中, senior/高中 or vocational/职高" }

    /// The kind for a stored name or a spreadsheet value; nil when it is neither.
    static func spreadsheet(_ text: String) -> Self? {
        switch text.lowercased() {
        case "primary", "school_kind_primary", "小学": .primary
        case "junior", "school_kind_junior", "初中", "初级中学": .junior
        case "senior", "school_kind_senior", "高中", "高级中学": .senior
        case "vocational", "school_kind_vocational", "职高", "中职", "职业高中", "中等职业学校": .vocational
        default: nil
        }
    }
}
