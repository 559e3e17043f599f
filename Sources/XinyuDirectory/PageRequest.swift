import XinyuCoreAPI
import XinyuWire

/// A List call's validated paging: how many rows, after which id, for which query.
struct PageRequest: Sendable {
    static let defaultSize = 50
    static let maxSize = 500

    let size: Int
    /// Resume after this id; nil for the first page.
    let after: String?
    let queryTag: String

    /// Validates `page` for the list `list` with these filters (in a fixed order).
    init(_ page: Xinyu_Directory_V1_Page, list: String, filters: [String]) throws {
        switch page.pageSize {
        case 0: size = Self.defaultSize
        case ..<0: throw RPCError.invalidField("page.page_size", "\(page.pageSize) is negative (use 1–\(Self.maxSize), or 0 for \(Self.defaultSize))")
        case Int32(Self.maxSize + 1)...: throw RPCError.invalidField("page.page_size", "\(page.pageSize) is more than the maximum of \(Self.maxSize)")
        default: size = Int(page.pageSize)
        }
        queryTag = PageToken.queryTag(list, filters)
        after = page.pageToken.isEmpty ? nil : try PageToken.decode(page.pageToken, queryTag: queryTag)
    }

    /// The token for the page after one that ended at `lastID`, or "" when there is none.
    func nextToken(lastID: String?, more: Bool) -> String {
        guard more, let lastID else { return "" }
        return PageToken.encode(lastID: lastID, queryTag: queryTag)
    }
}
