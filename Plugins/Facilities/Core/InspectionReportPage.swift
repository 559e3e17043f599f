/// Renders an inspection report as one self-contained HTML page in Chinese, laid out for A4
/// printing (no scripts, no external resources).
public enum InspectionReportPage {
    /// The page for `content`.
    public static func html(_ content: InspectionReportContent) -> String {
        let e = HTMLText.escape
        var rows = ""
        for item in content.items {
            rows += "<tr><td>\(e(item.title))</td><td class=\"n\">\(number(item.weight))</td><td class=\"n\">\(item.score) / \(item.maxScore)</td>"
            rows += "<td>\(e(item.measured.isEmpty ? "—" : item.measured))</td><td>\(e(item.note))</td><td>\(e(item.evidenceRef))</td></tr>\n"
        }
        var measured = ""
        for figure in content.measured {
            measured += "<tr><th>\(e(figure.label))</th><td>\(e(figure.figure))</td></tr>\n"
        }
        var tasks = ""
        for task in content.tasks {
            let status = task.open ? (task.overdue ? "逾期未整改" : "整改中") : "已整改"
            tasks += "<tr\(task.overdue && task.open ? " class=\"overdue\"" : "")><td>\(e(task.description))</td><td>\(e(task.ownerName))</td>"
            tasks += "<td>\(e(task.deadline))</td><td>\(status)</td></tr>\n"
        }
        let score = content.score.map { number($0) } ?? "未评分"
        let reinspection = content.reinspectionOf.isEmpty ? "" : "<p>复查：针对第 \(e(content.reinspectionOf)) 号督查</p>\n"
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>\(e(content.schoolName)) 心理辅导室专项督查报告</title>
            <style>
            @page { size: A4; margin: 18mm; }
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; font-size: 11pt; color: #111; }
            h1 { font-size: 18pt; text-align: center; margin-bottom: 4mm; }
            h2 { font-size: 13pt; border-bottom: 1px solid #444; margin-top: 8mm; }
            table { border-collapse: collapse; width: 100%; }
            th, td { border: 1px solid #666; padding: 2mm; vertical-align: top; text-align: left; }
            td.n { text-align: right; white-space: nowrap; }
            .score { font-size: 16pt; font-weight: bold; }
            tr.overdue td { color: #a00; font-weight: bold; }
            </style>
            </head>
            <body>
            <h1>心理辅导室专项督查报告</h1>
            <table>
            <tr><th>学校</th><td>\(e(content.schoolName))（\(e(content.schoolID))）</td></tr>
            <tr><th>督查日期</th><td>\(e(content.date))</td></tr>
            <tr><th>督查组</th><td>\(e(content.team.joined(separator: "、")))</td></tr>
            <tr><th>督查清单</th><td>\(e(content.templateTitle))（第 \(content.templateVersion) 版）</td></tr>
            <tr><th>综合得分</th><td class="score">\(score)</td></tr>
            </table>
            \(reinspection)<h2>实测数据</h2>
            <table>
            \(measured.isEmpty ? "<tr><td>无</td></tr>\n" : measured)</table>
            <h2>逐项评分</h2>
            <table>
            <tr><th>督查项目</th><th>权重</th><th>得分</th><th>实测</th><th>督查意见</th><th>佐证材料</th></tr>
            \(rows)</table>
            <h2>整改任务</h2>
            <table>
            <tr><th>整改内容</th><th>责任人</th><th>整改期限</th><th>状态</th></tr>
            \(tasks.isEmpty ? "<tr><td colspan=\"4\">无</td></tr>\n" : tasks)</table>
            </body>
            </html>

            """
    }

    /// A figure without a trailing ".0".
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
