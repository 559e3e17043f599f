import XinyuCoreAPI
import XinyuPluginSDK

/// How the directory's List methods use the SDK's paging: the `page` message (size 0 = 50, at
/// most 500, errors on `page.page_size` / `page.page_token`) and one table in id order.
enum DirectoryPaging {
    static let defaultSize = 50
    static let maxSize = 500

    /// The validated page of list `list` (e.g. "schools") with these filters, in a fixed order.
    static func request(_ page: Xinyu_Directory_V1_Page, list: String, filters: [String]) throws -> PageRequest {
        let size = try PageRequest.validatedSize(page.pageSize, default: defaultSize, maximum: maxSize, field: "page.page_size")
        return PageRequest(list: "directory.\(list)", filters: filters, size: size, token: page.pageToken, field: "page.page_token")
    }

    /// A query for `columns` of `table`, in id order.
    static func query(_ table: String, columns: String) -> KeysetQuery {
        KeysetQuery(select: columns, from: table, orderBy: [.init("\(table).id", as: "id")])
    }
}
