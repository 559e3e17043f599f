import Foundation
import Testing
import XinyuCoreAPI
import XinyuRPC
import XinyuWire
#if canImport(Glibc)
import Glibc
#endif

typealias ImportEvent = Xinyu_Directory_V1_ImportRosterEvent

/// Everything one ImportRoster call sent, in order.
struct ImportResult {
    let status: CallStatus
    let events: [ImportEvent]

    var reports: [Xinyu_Directory_V1_ImportReport] {
        events.compactMap { if case .report(let report)? = $0.event { report } else { nil } }
    }
    var report: Xinyu_Directory_V1_ImportReport { reports.first ?? .init() }
    var progress: [Xinyu_Directory_V1_ImportProgress] {
        events.compactMap { if case .progress(let progress)? = $0.event { progress } else { nil } }
    }
    /// Row errors as "line field: problem", easy to compare and to read in a failure.
    var errors: [String] { report.errors.map { "\($0.line) \($0.field): \($0.problem)" } }
}

extension DirectoryHarness {
    func importRoster(_ kind: Xinyu_Directory_V1_RosterKind, _ csv: [UInt8], skipBadRows: Bool = false, dryRun: Bool = false) async throws -> ImportResult {
        let request = Xinyu_Directory_V1_ImportRosterRequest.with {
            $0.kind = kind
            $0.csv = Data(csv)
            $0.skipBadRows = skipBadRows
            $0.dryRun = dryRun
        }
        let reply = try await call("ImportRoster", request, as: ImportEvent.self)
        return ImportResult(status: reply.status, events: reply.messages)
    }

    func importRoster(_ kind: Xinyu_Directory_V1_RosterKind, _ csv: String, skipBadRows: Bool = false, dryRun: Bool = false) async throws -> ImportResult {
        try await importRoster(kind, Array(csv.utf8), skipBadRows: skipBadRows, dryRun: dryRun)
    }
}

/// Requires an import to have changed the directory, showing its errors otherwise.
func expectImported(_ result: ImportResult, rows: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try #require(result.status.code == .ok, "\(result.status.code.name): \(result.status.message)", sourceLocation: sourceLocation)
    #expect(result.report.rows == rows && result.report.imported == rows && result.report.skipped == 0, sourceLocation: sourceLocation)
    #expect(!result.report.nothingChanged && result.errors.isEmpty, "\(result.errors)", sourceLocation: sourceLocation)
}

/// The bytes Excel on Chinese Windows writes for `text`: GBK, made with the C library's iconv.
func gbkBytes(_ text: String) throws -> [UInt8] {
    let converter = iconv_open("GBK", "UTF-8")
    try #require(Int(bitPattern: converter) != -1, "this machine's C library has no GBK tables")
    defer { iconv_close(converter) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
    let produced = input.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer -> Int in
            var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var inLeft = inBuffer.count
            var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var outLeft = outBuffer.count
            guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1 else { return -1 }
            return outBuffer.count - outLeft
        }
    }
    try #require(produced >= 0, "iconv could not convert the text to GBK")
    return Array(output.prefix(produced))
}

/// Lines joined with CRLF, as Excel saves them, with a final line break.
func csv(_ lines: String...) -> String {
    lines.joined(separator: "\r\n") + "\r\n"
}
