/// Renders an inspection report as one self-contained HTML page in Chinese, laid out for A4
/// printing (no scripts, no external resources). Checked as printed: rendered with weasyprint and
/// fonts-noto-cjk to PDF and PNG (scripts/render-report.sh); table headers repeat on each page,
/// rows never split across pages, and the page number is in the footer.
public enum InspectionReportPage {
    /// The page for `content`.
    public static func html(_ content: InspectionReportContent) -> String {
        let e = HTMLText.escape
        var rows = ""
        for item in content.items {
            rows += "<tr><td>\(e(item.title))</td><td class=\"n\">\(number(item.weight))</td><td class=\"n\">\(item.score) / \(item.maxScore)</td>"
            rows += "<td>\(e(item.measured.isEmpty ? "—" : item.measured))</td><td class=\"wrap\">\(e(item.note))</td><td class=\"wrap\">\(e(item.evidenceRef))</td></tr>\n"
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
            @page { size: A4; margin: 18mm 18mm 20mm;
                    @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font-family: "Noto Sans CJK SC", sans-serif; font-size: 9pt; color: #555; } }
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; font-size: 10.5pt; color: #111; line-height: 1.45; }
            h1 { font-size: 18pt; text-align: center; margin: 0 0 5mm; }
            h2 { font-size: 12.5pt; border-bottom: 1.5px solid #333; margin: 7mm 0 2.5mm; padding-bottom: 1mm; }
            table { border-collapse: collapse; width: 100%; }
            th, td { border: 1px solid #777; padding: 1.6mm 2mm; vertical-align: top; text-align: left; }
            th { background: #eef1f4; font-weight: bold; }
            thead { display: table-header-group; }
            tr { page-break-inside: avoid; }
            table.info th, table.figures th { width: 30mm; white-space: nowrap; }
            td.n { text-align: right; white-space: nowrap; }
            td.wrap { word-break: break-all; }
            .score { font-size: 15pt; font-weight: bold; }
            tr.overdue td { color: #a00; font-weight: bold; }
            table.sign { margin-top: 14mm; }
            table.sign td { border: none; padding: 0 4mm 6mm 0; white-space: nowrap; }
            span.label { display: inline-block; width: 32mm; }
            span.line { display: inline-block; width: 45mm; border-bottom: 1px solid #333; }
            </style>
            </head>
            <body>
            <h1>心理辅导室专项督查报告</h1>
            <table class="info">
            <tr><th>学校</th><td>\(e(content.schoolName))（\(e(content.schoolID))）</td></tr>
            <tr><th>督查日期</th><td>\(e(content.date))</td></tr>
            <tr><th>督查组</th><td>\(e(content.team.joined(separator: "、")))</td></tr>
            <tr><th>督查清单</th><td>\(e(content.templateTitle))（第 \(content.templateVersion) 版）</td></tr>
            <tr><th>综合得分</th><td class="score">\(score)</td></tr>
            </table>
            \(reinspection)<h2>实测数据</h2>
            <table class="figures">
            \(measured.isEmpty ? "<tr><td>无</td></tr>\n" : measured)</table>
            <h2>逐项评分</h2>
            <table>
            <thead><tr><th>督查项目</th><th>权重</th><th>得分</th><th>实测</th><th>督查意见</th><th>佐证材料</th></tr></thead>
            \(rows)</table>
            <h2>整改任务</h2>
            <table>
            <thead><tr><th>整改内容</th><th>责任人</th><th>整改期限</th><th>状态</th></tr></thead>
            \(tasks.isEmpty ? "<tr><td colspan=\"4\">无</td></tr>\n" : tasks)</table>
            <table class="sign">
            <tr><td><span class="label">督查组签字：</span><span class="line">&nbsp;</span></td><td><span class="label">日期：</span><span class="line">&nbsp;</span></td></tr>
            <tr><td><span class="label">学校负责人签字：</span><span class="line">&nbsp;</span></td><td><span class="label">日期：</span><span class="line">&nbsp;</span></td></tr>
            </table>
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
