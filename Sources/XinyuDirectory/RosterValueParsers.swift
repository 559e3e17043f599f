/// Reads the spreadsheet spellings of grades, yes/no flags and roles.
///
/// Each returns the value or the problem; an empty cell is left for the entity's rules to
/// call "is required" (or to accept, for optional fields).
enum RosterValueParsers {
    private static let chineseNumbers = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12]
    private static let stageYears = ["初一": 7, "初二": 8, "初三": 9, "高一": 10, "高二": 11, "高三": 12]

    /// "7", "07", "7年级", "七年级", "初一", "高三": 0 for an empty cell.
    static func grade(_ text: String) -> Result<Int32, FieldProblemText> {
        if text.isEmpty { return .success(0) }
        if let grade = stageYears[text] { return .success(Int32(grade)) }
        let bare = text.hasSuffix("年级") ? String(text.dropLast(2)) : text
        if let number = chineseNumbers[bare] { return .success(Int32(number)) }
        if (1...2).contains(bare.utf8.count), bare.utf8.allSatisfy(FieldRules.isDigit), let number = Int32(bare) {
            return .success(number)
        }
        return .failure(FieldProblemText("'\(text)' is not a grade (use 1–12, e.g. 7, 七年级 or 初一)"))
    }

    /// Yes/no cells: 是/否, yes/no, y/n, true/false, 1/0; an empty cell means no.
    static func flag(_ text: String) -> Result<Bool, FieldProblemText> {
        switch text.lowercased() {
        case "", "否", "no", "n", "false", "0", "×": return .success(false)
        case "是", "yes", "y", "true", "1", "√", "✓": return .success(true)
        default: return .failure(FieldProblemText("'\(text)' is not yes or no (use 是/否, yes/no or 1/0; empty means no)"))
        }
    }

    /// Chinese role titles a school's sheet uses, and the role ids they stand for.
    static let roleNames = ["班主任": "class_teacher", "专职心理教师": "psych_teacher_full_time", "导师": "mentor", "校长": "principal"]

    /// Roles separated by ';', ',', '、', '|' or spaces (full-width forms too), with the
    /// Chinese titles in ``roleNames`` translated.
    static func roles(_ text: String) -> Result<[String], FieldProblemText> {
        let separators: Set<Character> = [";", "；", ",", "，", "、", "|", " ", "\u{3000}"]
        var roles: [String] = []
        for part in text.split(whereSeparator: { separators.contains($0) }) {
            let name = String(part)
            if let role = roleNames[name] {
                roles.append(role)
            } else if name.unicodeScalars.allSatisfy(\.isASCII) {
                roles.append(name)
            } else {
                let known = roleNames.sorted { $0.value < $1.value }.map { "\($0.value)/\($0.key)" }.joined(separator: ", ")
                return .failure(FieldProblemText("'\(name)' is not a role this directory knows (use ids such as \(known))"))
            }
        }
        return .success(roles)
    }
}
