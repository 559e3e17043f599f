import Testing
import XinyuCrisisAPI
import XinyuWire

@Suite("Lists page with keyset tokens: every row once, in order")
struct PagingTests {
    @Test("warnings, cases and screening results page through everything")
    func pages() async throws {
        let h = try CrisisHarness()
        for student in ["S1", "S2", "S3", "S4"] {
            let r = try await h.submit(phqA(student, [1, 1, 1, 1, 1, 1, 1, 1, 2]))
            #expect(r.code == .ok, "\(r.message)")
            _ = try await h.call("OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = student; $0.reason = "一级预警" }, as: Xinyu_Crisis_V1_Case.self)
        }
        var warnings: [String] = []
        var token = ""
        repeat {
            let page = try await h.call("ListWarnings", Xinyu_Crisis_V1_ListWarningsRequest.with { $0.limit = 3; $0.pageToken = token }, as: Xinyu_Crisis_V1_ListWarningsResponse.self)
            #expect(page.code == .ok, "\(page.message)")
            warnings += page.value.warnings.map(\.studentID)
            token = page.value.nextPageToken
        } while !token.isEmpty
        #expect(warnings.sorted() == ["S1", "S2", "S3", "S4"] && Set(warnings).count == 4)

        var cases: [String] = []
        token = ""
        repeat {
            let page = try await h.call("ListCases", Xinyu_Crisis_V1_ListCasesRequest.with { $0.limit = 1; $0.pageToken = token }, as: Xinyu_Crisis_V1_ListCasesResponse.self)
            cases += page.value.cases.map(\.id)
            token = page.value.nextPageToken
        } while !token.isEmpty
        #expect(cases.count == 4 && Set(cases).count == 4)

        var results: [String] = []
        token = ""
        repeat {
            let page = try await h.call("ListScreeningResults", Xinyu_Crisis_V1_ListScreeningResultsRequest.with { $0.limit = 3; $0.pageToken = token }, as: Xinyu_Crisis_V1_ListScreeningResultsResponse.self)
            results += page.value.results.map(\.id)
            token = page.value.nextPageToken
        } while !token.isEmpty
        #expect(results == results.sorted { Int($0)! > Int($1)! } && results.count == 4)

        let bad = try await h.call("ListWarnings", Xinyu_Crisis_V1_ListWarningsRequest.with { $0.pageToken = "not-ours" }, as: Xinyu_Crisis_V1_ListWarningsResponse.self)
        #expect(bad.code == .invalidArgument && bad.message.hasPrefix("field page_token"))
    }
}
