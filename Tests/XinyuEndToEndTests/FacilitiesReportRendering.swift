import Foundation
import Testing

/// Renders a facilities inspection report to PDF and PNG with scripts/render-report.sh (weasyprint,
/// fonts-noto-cjk, poppler-utils) and checks the result: a PDF whose text layer holds the Chinese
/// text (so the CJK font was used, not empty boxes), and a PNG of the first page. Where weasyprint
/// is not installed it says so and renders nothing, except under CI (CI=true), where the missing
/// package fails the test: scripts/install-deps.sh installs it there.
enum FacilitiesReportRendering {
    static var repository: URL { RunningHost.repositoryConfig.deletingLastPathComponent() }

    static func check(html: String, mustContain texts: [String]) async throws {
        let missing = [("weasyprint", "weasyprint"), ("pdftoppm", "poppler-utils"), ("pdftotext", "poppler-utils"), ("fc-list", "fontconfig")]
            .filter { CClientEndToEndTests.which($0.0) == nil }
        guard missing.isEmpty else {
            let packages = Set(missing.map(\.1)).sorted().joined(separator: " ")
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("cannot render the report: install \(packages) (scripts/install-deps.sh does)")
            } else {
                print("report rendering not checked: \(packages) not installed (apt-get install -y \(packages) fonts-noto-cjk)")
            }
            return
        }
        // XINYU_REPORT_DIR keeps the files for a person to look at; otherwise a temporary folder.
        let keep = ProcessInfo.processInfo.environment["XINYU_REPORT_DIR"]
        let dir = keep.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-report-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: dir) } }
        let page = dir.appendingPathComponent("report.html"), pdf = dir.appendingPathComponent("report.pdf"), png = dir.appendingPathComponent("report.png")
        try html.write(to: page, atomically: true, encoding: .utf8)
        // weasyprint loads every CJK font face once: up to a minute on a loaded two-core machine.
        let rendered = try await CClientEndToEndTests.run(repository.appendingPathComponent("scripts/render-report.sh").path,
                                                          [page.path, "--pdf", pdf.path, "--png", png.path], timeout: .seconds(300))
        #expect(rendered.status == .exited(0), "\(rendered)")
        let bytes = try Data(contentsOf: pdf)
        #expect(bytes.starts(with: Array("%PDF-".utf8)), "not a PDF")
        let text = try await CClientEndToEndTests.run(CClientEndToEndTests.which("pdftotext")!, [pdf.path, "-"], timeout: .seconds(60))
        for expected in texts { #expect(text.stdout.contains(expected), "the PDF's text lacks \(expected)") }
        let image = try Data(contentsOf: png)
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]) && image.count > 20_000, "PNG of \(image.count) bytes")
    }
}
