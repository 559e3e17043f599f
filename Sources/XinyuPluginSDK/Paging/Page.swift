/// One page of a List method's rows, with the token of the page after it.
public struct Page<Item> {
    /// The rows of this page, in the query's sort order.
    public var items: [Item]
    /// The token that resumes after the last item; "" when no row follows.
    public var nextPageToken: String
    /// How many rows match the filters in all, when the query was asked to count them.
    public var total: Int64?

    /// A page of `items`.
    public init(items: [Item], nextPageToken: String, total: Int64? = nil) {
        self.items = items
        self.nextPageToken = nextPageToken
        self.total = total
    }

    /// The same page with each item turned into another type (e.g. a record into its message).
    public func map<Other>(_ transform: (Item) throws -> Other) rethrows -> Page<Other> {
        Page<Other>(items: try items.map(transform), nextPageToken: nextPageToken, total: total)
    }
}

extension Page: Sendable where Item: Sendable {}
