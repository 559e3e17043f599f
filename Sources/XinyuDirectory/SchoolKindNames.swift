import XinyuCoreAPI

/// School kinds as stored ("primary") and as a spreadsheet writes them ("小学").
enum SchoolKindNames {
    static let valid: [Xinyu_Directory_V1_SchoolKind] = [.primary, .junior, .senior, .vocational]
    static let hint = "primary/小学, junior/初中, senior/高中 or vocational/职高"

    /// The stored name of a valid kind, nil for unspecified or unknown ones.
    static func storedName(_ kind: Xinyu_Directory_V1_SchoolKind) -> String? {
        switch kind {
        case .primary: "primary"
        case .junior: "junior"
        case .senior: "senior"
        case .vocational: "vocational"
        case .unspecified, .UNRECOGNIZED: nil
        }
    }

    /// The kind for a stored name or a spreadsheet value; nil when it is neither.
    static func parse(_ text: String) -> Xinyu_Directory_V1_SchoolKind? {
        switch text.lowercased() {
        case "primary", "school_kind_primary", "小学": .primary
        case "junior", "school_kind_junior", "初中", "初级中学": .junior
        case "senior", "school_kind_senior", "高中", "高级中学": .senior
        case "vocational", "school_kind_vocational", "职高", "中职", "职业高中", "中等职业学校": .vocational
        default: nil
        }
    }

    /// The problem with a kind sent through the API, or nil.
    static func problem(_ kind: Xinyu_Directory_V1_SchoolKind) -> String? {
        switch kind {
        case .unspecified: "is required (\(hint))"
        case .UNRECOGNIZED(let number): "\(number) is not a school kind (\(hint))"
        default: nil
        }
    }
}
