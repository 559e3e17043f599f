import Foundation
import Testing
import XinyuHomeschoolAPI
import XinyuPluginSDK

@Suite("Taking a student out of a high-risk category")
struct CategoryRemovalTests {
    typealias Category = Xinyu_Homeschool_V1_StudentCategory

    func categories(_ h: HomeschoolHarness, includeRemoved: Bool = false) async throws -> [Category] {
        try await h.call("ListCategories", Xinyu_Homeschool_V1_ListCategoriesRequest.with { $0.studentID = "S1"; $0.includeRemoved = includeRemoved },
                         as: Xinyu_Homeschool_V1_ListCategoriesResponse.self).value.categories
    }

    @Test("removal records who, when and why, keeps the category in the history; put back in owes a new special visit")
    func removal() async throws {
        let h = try HomeschoolHarness()
        let set = try await h.call("SetCategory", Xinyu_Homeschool_V1_SetCategoryRequest.with { $0.studentID = "S1"; $0.category = "left_behind"; $0.reason = "父母在外务工" },
                                   as: Category.self)
        #expect(set.code == .ok)
        h.clock.advance(by: .seconds(3600))
        let removed = try await h.call("RemoveCategory", Xinyu_Homeschool_V1_RemoveCategoryRequest.with { $0.studentID = "S1"; $0.category = "left_behind"; $0.reason = "母亲已返乡照顾" },
                                       as: Category.self)
        #expect(removed.code == .ok, "\(removed.message)")
        #expect(removed.value.removedBy == "staff:P001" && removed.value.removalReason == "母亲已返乡照顾")
        #expect(removed.value.removedAtMs == set.value.setAtMs + 3_600_000 && removed.value.reason == "父母在外务工" && removed.value.setBy == "staff:P001")
        #expect(try await categories(h).isEmpty)
        #expect(try await categories(h, includeRemoved: true).map(\.removalReason) == ["母亲已返乡照顾"])

        let again = try await h.call("SetCategory", Xinyu_Homeschool_V1_SetCategoryRequest.with { $0.studentID = "S1"; $0.category = "left_behind"; $0.reason = "母亲再次外出" },
                                     as: Category.self)
        #expect(again.code == .ok && again.value.specialVisitID != set.value.specialVisitID, "a new special visit is owed")
        #expect(try await categories(h, includeRemoved: true).map(\.reason) == ["母亲再次外出", "父母在外务工"])
    }

    @Test("removing a category the student is not in, or without a reason, is refused and changes nothing")
    func refused() async throws {
        let h = try HomeschoolHarness()
        let missing = try await h.call("RemoveCategory", Xinyu_Homeschool_V1_RemoveCategoryRequest.with { $0.studentID = "S1"; $0.category = "disability"; $0.reason = "x" },
                                       as: Category.self)
        #expect(missing.code == .notFound && missing.message.contains("field category"))
        _ = try await h.call("SetCategory", Xinyu_Homeschool_V1_SetCategoryRequest.with { $0.studentID = "S1"; $0.category = "disability"; $0.reason = "听力障碍" }, as: Category.self)
        let noReason = try await h.call("RemoveCategory", Xinyu_Homeschool_V1_RemoveCategoryRequest.with { $0.studentID = "S1"; $0.category = "disability" }, as: Category.self)
        #expect(noReason.code == .invalidArgument && noReason.message.contains("reason"))
        let teacher = try await h.call("RemoveCategory", Xinyu_Homeschool_V1_RemoveCategoryRequest.with { $0.studentID = "S1"; $0.category = "disability"; $0.reason = "x" },
                                       as: Category.self, principal: classTeacher)
        #expect(teacher.code == .permissionDenied)
        #expect(try h.count("homeschool_categories") == 1 && h.count("homeschool_category_history") == 0)
    }
}
