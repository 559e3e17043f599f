import Foundation
import GRDB
import Testing
import XinyuDirectory
import XinyuPluginSDK
import XinyuTrainingAPI

/// ImportCertificates: every row checked first, errors by line and column, nothing changed on
/// error unless told to skip; GBK as Excel on Chinese Windows writes it.
@Suite("Certificate import")
struct CertificateImportTests {
    func harness() throws -> TrainingHarness {
        let h = try TrainingHarness()
        try h.seed { db in
            try DirectorySeed.school(db, id: "A", name: "宁波市第一中学", district: "海曙区", kind: "junior")
            for id in ["T1", "T2", "T3"] { try DirectorySeed.staff(db, id: id, name: "老师", schoolID: "A", roles: ["class_teacher"]) }
        }
        return h
    }

    func run(_ h: TrainingHarness, _ bytes: [UInt8], skip: Bool = false) async throws -> (code: StatusCode, report: Xinyu_Training_V1_ImportReport) {
        let reply = try await h.call("ImportCertificates", Xinyu_Training_V1_ImportCertificatesRequest.with { $0.csv = Data(bytes); $0.skipBadRows = skip },
                                     as: Xinyu_Training_V1_ImportCertificatesEvent.self)
        return (reply.code, reply.messages.compactMap { if case .report(let r)? = $0.event { r } else { nil } }.last ?? .init())
    }

    static let file = "工号,等级,证书编号,发证日期,有效期至\r\nT1,C证,NB-C-001,2023-05-06,2028-05-05\r\nT2,D证,NB-C-002,2023-05-06,\r\nT3,B证,NB-B-003,2024/1/9,\r\n"

    @Test("a GBK file with one bad row changes nothing and names the line and column")
    func gbkBadRowChangesNothing() async throws {
        let h = try harness()
        let bytes = try gbk(Self.file)
        #expect(bytes != Array(Self.file.utf8), "the file really is GBK")
        let result = try await run(h, bytes)
        #expect(result.code == .ok)
        #expect(result.report.encoding == "gbk" && result.report.nothingChanged && result.report.imported == 0)
        #expect(result.report.errors.map { "\($0.line):\($0.field)" } == ["3:level"], "\(result.report.errors)")
        #expect(try h.count("training_certificates") == 0)
    }

    @Test("with skip_bad_rows the good rows are stored; a number already stored is refused on the next import")
    func skipBadRows() async throws {
        let h = try harness()
        let result = try await run(h, try gbk(Self.file), skip: true)
        #expect(result.report.imported == 2 && result.report.skipped == 1 && !result.report.nothingChanged)
        #expect(try h.count("training_certificates", "level = 'B' AND issued_on = '2024-01-09'") == 1)
        let again = try await run(h, Array("staff_id,level,number,issued_on\nT9,C,NB-C-001,2023-05-06\n".utf8))
        #expect(Set(again.report.errors.map(\.field)) == ["staff_id", "number"] && again.report.nothingChanged)
        #expect(try h.count("training_certificates") == 2)
    }

    @Test("a file without a required column is refused naming it")
    func missingColumn() async throws {
        let h = try harness()
        let result = try await run(h, Array("staff_id,level\nT1,C\n".utf8))
        #expect(result.code == .invalidArgument)
    }

    /// The bytes of `text` in GBK (iconv), as Excel on Chinese Windows saves a CSV.
    func gbk(_ text: String) throws -> [UInt8] {
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
        try #require(produced >= 0)
        return Array(output.prefix(produced))
    }
}
