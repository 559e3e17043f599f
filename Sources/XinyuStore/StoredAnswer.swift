/// The final answer to a mutating call, kept so a retry with the same key gets the same answer.
public struct StoredAnswer: Sendable, Equatable {
    /// The status code returned (any code, success or failure).
    public let code: UInt32
    /// The status message returned.
    public let message: String
    /// The encoded response body returned (may be empty).
    public let response: [UInt8]

    /// Creates an answer.
    public init(code: UInt32, message: String, response: [UInt8]) {
        self.code = code
        self.message = message
        self.response = response
    }
}
