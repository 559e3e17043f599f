import XinyuWire

/// Per-call settings: deadline, metadata, idempotency key.
public struct CallOptions: Sendable {
    /// How long the caller waits; nil waits for ever (the callee may still have its own limits).
    public var timeout: Duration?
    /// Caller metadata; keys are lower-case, "xinyu-" is reserved.
    public var metadata: [(key: String, value: String)]
    /// For mutating methods: retrying with the same key returns the first answer.
    public var idempotencyKey: String?

    /// Creates options; by default no deadline, no metadata, no key.
    public init(timeout: Duration? = nil, metadata: [(key: String, value: String)] = [], idempotencyKey: String? = nil) {
        self.timeout = timeout
        self.metadata = metadata
        self.idempotencyKey = idempotencyKey
    }

    /// The call_start frame for `method` with these options.
    public func callStart(method: String) -> Xinyu_Wire_V1_CallStart {
        var start = Xinyu_Wire_V1_CallStart()
        start.method = method
        if let timeout {
            let (seconds, attoseconds) = timeout.components
            start.timeoutMicros = UInt64(max(1, seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
        }
        start.metadata = metadata.map {
            var entry = Xinyu_Wire_V1_MetadataEntry()
            entry.key = $0.key
            entry.value = $0.value
            return entry
        }
        if let idempotencyKey { start.idempotencyKey = idempotencyKey }
        return start
    }
}
