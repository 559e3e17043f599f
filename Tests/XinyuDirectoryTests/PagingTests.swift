import Foundation
import Testing
import XinyuCoreAPI
import XinyuWire

@Suite("Paging and filters")
struct PagingTests {
    typealias ListSchools = Xinyu_Directory_V1_ListSchoolsRequest
    typealias ListSchoolsResponse = Xinyu_Directory_V1_ListSchoolsResponse

    /// Seven schools in two districts, three of them primary.
    private func sevenSchools() async throws -> DirectoryHarness {
        let d = try DirectoryHarness()
        let rows: [(String, String, String, Xinyu_Directory_V1_SchoolKind)] = [
            ("S07", "江北实验小学", "江北区", .primary), ("S03", "海曙中心小学", "海曙区", .primary),
            ("S01", "Ningbo No.1 Middle School", "海曙区", .junior), ("S05", "宁波职业技术学校", "江北区", .vocational),
            ("S02", "海曙外国语学校", "海曙区", .junior), ("S06", "江北高级中学", "江北区", .senior),
            ("S04", "广济小学", "海曙区", .primary),
        ]
        for (id, name, district, kind) in rows {
            try expectOK(await d.createSchool(makeSchool(id, name: name, district: district, kind: kind)))
        }
        return d
    }

    private func list(_ d: DirectoryHarness, _ change: (inout ListSchools) -> Void) async throws -> Reply<ListSchoolsResponse> {
        var request = ListSchools()
        change(&request)
        return try await d.call("ListSchools", request, as: ListSchoolsResponse.self)
    }

    @Test("pages follow each other in id order, without gaps or repeats, with the total on each")
    func pagesInOrder() async throws {
        let d = try await sevenSchools()
        var ids: [String] = []
        var token = ""
        var pages = 0
        repeat {
            let page = try expectOK(await list(d) { $0.page.pageSize = 3; $0.page.pageToken = token })
            #expect(page.total == 7)
            ids += page.schools.map(\.id)
            token = page.nextPageToken
            pages += 1
        } while !token.isEmpty && pages < 10
        #expect(ids == ["S01", "S02", "S03", "S04", "S05", "S06", "S07"])
        #expect(pages == 3)

        let all = try expectOK(await list(d) { _ in })
        #expect(all.schools.count == 7 && all.nextPageToken.isEmpty)
    }

    @Test("filters: district, kind and a case-insensitive name substring (Chinese too), combined with paging")
    func filters() async throws {
        let d = try await sevenSchools()
        let haishu = try expectOK(await list(d) { $0.district = "海曙区" })
        #expect(haishu.schools.map(\.id) == ["S01", "S02", "S03", "S04"] && haishu.total == 4)

        let primary = try expectOK(await list(d) { $0.kind = .primary; $0.page.pageSize = 2 })
        #expect(primary.schools.map(\.id) == ["S03", "S04"] && primary.total == 3)
        let rest = try expectOK(await list(d) { $0.kind = .primary; $0.page.pageSize = 2; $0.page.pageToken = primary.nextPageToken })
        #expect(rest.schools.map(\.id) == ["S07"] && rest.nextPageToken.isEmpty)

        #expect(try expectOK(await list(d) { $0.nameContains = "小学" }).schools.map(\.id) == ["S03", "S04", "S07"])
        #expect(try expectOK(await list(d) { $0.nameContains = "ningbo no.1" }).schools.map(\.id) == ["S01"])
        #expect(try expectOK(await list(d) { $0.nameContains = "100%" }).total == 0)
        #expect(try expectOK(await list(d) { $0.district = "江北区"; $0.kind = .senior }).schools.map(\.id) == ["S06"])
    }

    @Test("page_size: 0 means 50, more than 500 or negative is INVALID_ARGUMENT")
    func pageSize() async throws {
        let d = try DirectoryHarness()
        for index in 1...55 { try expectOK(await d.createSchool(makeSchool(String(format: "S%03d", index)))) }
        let first = try expectOK(await list(d) { _ in })
        #expect(first.schools.count == 50 && first.total == 55 && !first.nextPageToken.isEmpty)
        #expect(try expectOK(await list(d) { $0.page.pageSize = 500 }).schools.count == 55)
        expectFailure(try await list(d) { $0.page.pageSize = 501 }, .invalidArgument, "field page.page_size: 501 is more than the maximum of 500")
        expectFailure(try await list(d) { $0.page.pageSize = -1 }, .invalidArgument, "field page.page_size")
    }

    @Test("a tampered, truncated or foreign page token is INVALID_ARGUMENT on page.page_token")
    func tamperedTokens() async throws {
        let d = try await sevenSchools()
        let first = try expectOK(await list(d) { $0.page.pageSize = 2 })
        let token = first.nextPageToken
        #expect(!token.isEmpty)

        // Decode, change the id it resumes after, encode again: still refused.
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let data = try #require(Data(base64Encoded: base64))
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains("S02"))
        let edited = Data(text.replacingOccurrences(of: "S02", with: "S05").utf8).base64EncodedString()

        for bad in [edited, String(token.dropLast(3)), "not a token", token + "x", String(token.reversed())] {
            expectFailure(try await list(d) { $0.page.pageSize = 2; $0.page.pageToken = bad }, .invalidArgument, "field page.page_token")
        }
        expectFailure(try await list(d) { $0.page.pageSize = 2; $0.page.pageToken = token; $0.district = "江北区" },
                      .invalidArgument, "field page.page_token", "different query")
        #expect(try await list(d) { $0.page.pageSize = 2; $0.page.pageToken = token }.code == .ok)
    }

    @Test("students by school, class and name; classes by grade; staff by role and school")
    func otherLists() async throws {
        let d = try DirectoryHarness()
        try await d.seed()
        try expectOK(await d.createClass(makeClass("C003", school: "S001", grade: 8, name: "5班")))
        let students: [(String, String, String, String)] = [
            ("G005", "张伟", "S001", "C001"), ("G002", "张小伟", "S001", "C003"), ("G003", "李娜", "S001", "C001"),
            ("G001", "王芳", "S002", "C002"), ("G004", "Zhang Wei", "S001", "C001"),
        ]
        for (id, name, school, schoolClass) in students {
            try expectOK(await d.createStudent(makeStudent(id, name: name, school: school, schoolClass: schoolClass)))
        }
        func listStudents(_ change: (inout Xinyu_Directory_V1_ListStudentsRequest) -> Void) async throws -> Reply<Xinyu_Directory_V1_ListStudentsResponse> {
            var request = Xinyu_Directory_V1_ListStudentsRequest()
            change(&request)
            return try await d.call("ListStudents", request, as: Xinyu_Directory_V1_ListStudentsResponse.self)
        }
        let inSchool = try await listStudents { $0.schoolID = "S001" }
        #expect(try expectOK(inSchool).students.map(\.id) == ["G002", "G003", "G004", "G005"])
        #expect(inSchool.subjects == ["G002", "G003", "G004", "G005"])
        #expect(try expectOK(await listStudents { $0.classID = "C001" }).students.map(\.id) == ["G003", "G004", "G005"])
        let named = try expectOK(await listStudents { $0.nameContains = "伟" })
        #expect(named.students.map(\.name) == ["张小伟", "张伟"] && named.total == 2)
        #expect(try expectOK(await listStudents { $0.nameContains = "zhang" }).students.map(\.id) == ["G004"])
        let paged = try expectOK(await listStudents { $0.schoolID = "S001"; $0.classID = "C001"; $0.page.pageSize = 2 })
        #expect(paged.students.map(\.id) == ["G003", "G004"] && paged.total == 3)
        let next = try expectOK(await listStudents { $0.schoolID = "S001"; $0.classID = "C001"; $0.page.pageSize = 2; $0.page.pageToken = paged.nextPageToken })
        #expect(next.students.map(\.id) == ["G005"] && next.nextPageToken.isEmpty)

        let grade8 = try expectOK(await d.call("ListClasses", Xinyu_Directory_V1_ListClassesRequest.with { $0.grade = 8 }, as: Xinyu_Directory_V1_ListClassesResponse.self))
        #expect(grade8.classes.map(\.id) == ["C003"] && grade8.total == 1)
        let inS001 = try expectOK(await d.call("ListClasses", Xinyu_Directory_V1_ListClassesRequest.with { $0.schoolID = "S001" }, as: Xinyu_Directory_V1_ListClassesResponse.self))
        #expect(inS001.classes.map(\.id) == ["C001", "C003"])

        try expectOK(await d.createStaff(makeStaff("T002", name: "陈静", school: "S001", roles: ["psych_teacher_full_time", "mentor"])))
        try expectOK(await d.createStaff(makeStaff("T003", name: "刘洋", school: "", roles: ["psych_teacher_full_time"])))
        let psych = try expectOK(await d.call("ListStaff", Xinyu_Directory_V1_ListStaffRequest.with { $0.role = "psych_teacher_full_time" }, as: Xinyu_Directory_V1_ListStaffResponse.self))
        #expect(psych.staff.map(\.id) == ["T002", "T003"] && psych.total == 2)
        #expect(psych.staff[0].roles == ["mentor", "psych_teacher_full_time"])
        let schoolPsych = try expectOK(await d.call("ListStaff", Xinyu_Directory_V1_ListStaffRequest.with { $0.role = "psych_teacher_full_time"; $0.schoolID = "S001" }, as: Xinyu_Directory_V1_ListStaffResponse.self))
        #expect(schoolPsych.staff.map(\.id) == ["T002"])
    }
}
