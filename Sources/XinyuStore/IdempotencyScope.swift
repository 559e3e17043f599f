/// What an idempotency key is unique within: one owner's method, called by one principal.
///
/// The same key sent by two principals, or to two methods, names two unrelated calls.
public struct IdempotencyScope: Sendable, Hashable, CustomStringConvertible {
    /// The plugin (or the host) that serves the method.
    public let owner: String
    /// The method's full name.
    public let method: String
    /// The caller, as authenticated; never taken from the request body.
    public let principalID: String
    /// The key the caller chose for this logical call and reuses on every retry.
    public let key: String

    /// Creates a scope.
    public init(owner: String, method: String, principalID: String, key: String) {
        self.owner = owner
        self.method = method
        self.principalID = principalID
        self.key = key
    }

    /// "owner/method principal key", for logs and errors.
    public var description: String { "\(owner)/\(method) \(principalID) \(key)" }
}
