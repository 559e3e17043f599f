import XinyuWire

/// What one List call asks for: which list and filters, how many rows, and the page token that
/// says where to resume. Give it to ``KeysetQuery/page(_:_:decode:)`` inside `context.store.read`.
///
/// ```swift
/// let size = PageRequest.clampedSize(request.limit, default: 200, maximum: 1000)
/// let page = PageRequest(list: "crisis.cases", filters: [request.schoolID, request.ownerID],
///                        size: size, token: request.pageToken)
/// ```
public struct PageRequest: Sendable {
    /// A name unique to the List method, e.g. "crisis.cases": a token of one list is refused by another.
    public let list: String
    /// Every filter of the request, in a fixed order: a token is refused when they change.
    public let filters: [String]
    /// Rows per page (at least 1).
    public let size: Int
    /// The caller's page token; "" for the first page.
    public let token: String
    /// The request field the token came in, named in errors (e.g. "page_token", "page.page_token").
    public let field: String

    /// Describes one page of `list`.
    public init(list: String, filters: [String] = [], size: Int, token: String, field: String = "page_token") {
        self.list = list
        self.filters = filters
        self.size = max(1, size)
        self.token = token
        self.field = field
    }

    /// A page size from a request where 0 or less means `default` and more than `maximum` is cut to it.
    public static func clampedSize(_ requested: Int32, default defaultSize: Int, maximum: Int) -> Int {
        requested <= 0 ? defaultSize : min(Int(requested), maximum)
    }

    /// A page size from a request where 0 means `default`; a negative size or one above `maximum`
    /// is INVALID_ARGUMENT naming `field`.
    public static func validatedSize(_ requested: Int32, default defaultSize: Int, maximum: Int, field: String) throws -> Int {
        switch requested {
        case 0: return defaultSize
        case ..<0: throw RPCError.invalidField(field, "\(requested) is negative (use 1–\(maximum), or 0 for \(defaultSize))")
        case Int32(clamping: maximum + 1)...: throw RPCError.invalidField(field, "\(requested) is more than the maximum of \(maximum)")
        default: return Int(requested)
        }
    }
}
