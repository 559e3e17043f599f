/// A measured figure as the printed report words it, in Chinese: the share and what was counted.
public enum MeasuredFigureText {
    /// "87.5%（2026-11-01 至 2026-11-30：应值班 16 次，到岗 14 次；假期免值 2 次）" for duty compliance;
    /// "33.3%（在籍学生 3 人，档案完整 1 人；缺普测 1 人，有预警无一人一表 1 人）" for archive
    /// completeness; "未测得（危机干预模块未启用或暂不可用）" when it could not be measured. Without
    /// counts (figures recorded by an older version) only the share.
    public static func chinese(measure: String, available: Bool, share: Double, counts: [String: Int], from: String, to: String) -> String {
        guard available else {
            return measure == "archive_completeness" ? "未测得（危机干预模块未启用或暂不可用）" : "未测得"
        }
        let percent = self.percent(share)
        switch measure {
        case "duty_compliance":
            guard let rostered = counts["rostered"], let kept = counts["kept"] else { return percent }
            let period = from.isEmpty ? "" : "\(from) 至 \(to)："
            let excused = (counts["excused"] ?? 0) > 0 ? "；假期免值 \(counts["excused"]!) 次" : ""
            if rostered == 0 { return "—（\(period)无应值班次\(excused)）" }
            return "\(percent)（\(period)应值班 \(rostered) 次，到岗 \(kept) 次\(excused)）"
        case "archive_completeness":
            guard let students = counts["students"], let complete = counts["complete"] else { return percent }
            return "\(percent)（在籍学生 \(students) 人，档案完整 \(complete) 人；缺普测 \(counts["missing_screening"] ?? 0) 人，有预警无一人一表 \(counts["missing_plan"] ?? 0) 人）"
        default:
            return percent
        }
    }

    /// "87.5%", "100%".
    public static func percent(_ share: Double) -> String {
        let tenths = (share * 1000).rounded() / 10
        return tenths == tenths.rounded() ? "\(Int(tenths))%" : "\(tenths)%"
    }
}
