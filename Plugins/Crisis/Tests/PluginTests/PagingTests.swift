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

    @Test("a token of another list or for other filters, or an edited one, is INVALID_ARGUMENT on page_token")
    func foreignTokens() async throws {
        let h = try CrisisHarness()
        for student in ["S1", "S2", "S3"] {
            _ = try await h.submit(phqA(student, [1, 1, 1, 1, 1, 1, 1, 1, 2]))
            _ = try await h.call("OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = student; $0.reason = "一级预警" }, as: Xinyu_Crisis_V1_Case.self)
        }
        let cases = try await h.call("ListCases", Xinyu_Crisis_V1_ListCasesRequest.with { $0.limit = 1 }, as: Xinyu_Crisis_V1_ListCasesResponse.self)
        let token = cases.value.nextPageToken
        #expect(!token.isEmpty)
        let onWarnings = try await h.call("ListWarnings", Xinyu_Crisis_V1_ListWarningsRequest.with { $0.limit = 1; $0.pageToken = token }, as: Xinyu_Crisis_V1_ListWarningsResponse.self)
        #expect(onWarnings.code == .invalidArgument && onWarnings.message.hasPrefix("field page_token") && onWarnings.message.contains("another list"))
        let otherFilter = try await h.call("ListCases", Xinyu_Crisis_V1_ListCasesRequest.with { $0.limit = 1; $0.schoolID = "A"; $0.pageToken = token }, as: Xinyu_Crisis_V1_ListCasesResponse.self)
        #expect(otherFilter.code == .invalidArgument && otherFilter.message.contains("different query"))
        var edited = Array(token)
        edited[edited.count / 2] = edited[edited.count / 2] == "A" ? "B" : "A"
        let tampered = try await h.call("ListCases", Xinyu_Crisis_V1_ListCasesRequest.with { $0.limit = 1; $0.pageToken = String(edited) }, as: Xinyu_Crisis_V1_ListCasesResponse.self)
        #expect(tampered.code == .invalidArgument && tampered.message.hasPrefix("field page_token"))
        let next = try await h.call("ListCases", Xinyu_Crisis_V1_ListCasesRequest.with { $0.limit = 1; $0.pageToken = token }, as: Xinyu_Crisis_V1_ListCasesResponse.self)
        #expect(next.code == .ok && next.value.cases.count == 1 && next.value.cases[0].id != cases.value.cases[0].id)
    }
}
