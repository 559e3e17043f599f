import NIOCore
import SwiftProtobuf

/// A rule every reply of a service passes through before it leaves the plugin, for field-level
/// visibility that must not depend on each handler remembering it (the crisis plugin's clinical
/// minimum: a class teacher sees that a plan exists, not the clinical picture).
///
/// ```swift
/// registry.service("xinyu.crisis.v1.Crisis") { s in
///     s.filterReplies(when: { !$0.has("crisis.clinical.read") }) { reply, principal in
///         ClinicalRedaction.redacted(reply, for: principal)     // nil: unchanged
///     }
///     s.unary(…)
/// }
/// ```
///
/// The filter sees the decoded reply and the caller; it returns the message to send instead, or
/// nil to send the reply unchanged. It runs for fresh answers and for replays of an idempotent
/// answer alike (the ledger keeps the unfiltered answer, so each caller gets it filtered for
/// them). `when` keeps the cost off callers it never applies to: their replies are not decoded.
public struct ReplyFilter: Sendable {
    /// True when the filter applies to the caller.
    public let applies: @Sendable (Principal) -> Bool
    /// The reply to send instead of `reply`, or nil when it is unchanged.
    public let rewrite: @Sendable (_ reply: any ReplyMessage, _ principal: Principal) -> (any ReplyMessage)?

    /// A filter that runs `rewrite` on the replies to callers for whom `applies` is true.
    public init(applies: @escaping @Sendable (Principal) -> Bool,
                rewrite: @escaping @Sendable (_ reply: any ReplyMessage, _ principal: Principal) -> (any ReplyMessage)?) {
        self.applies = applies
        self.rewrite = rewrite
    }

    /// The filter over encoded replies of `responseType`. A reply that cannot be decoded or
    /// encoded again is replaced by an empty message: the filter fails closed, never open.
    static func bytes(_ filter: ReplyFilter, responseType: any SwiftProtobuf.Message.Type) -> @Sendable (ByteBuffer, Principal) -> ByteBuffer {
        { bytes, principal in
            guard filter.applies(principal) else { return bytes }
            guard let reply = try? responseType.init(serializedBytes: Array(bytes.readableBytesView)) else { return ByteBuffer() }
            guard let changed = filter.rewrite(reply, principal) else { return bytes }
            guard let encoded: [UInt8] = try? changed.serializedBytes() else { return ByteBuffer() }
            return ByteBuffer(bytes: encoded)
        }
    }
}

/// A reply as a ``ReplyFilter`` sees it: any protobuf message (so a plugin names the type without
/// importing SwiftProtobuf).
public typealias ReplyMessage = SwiftProtobuf.Message

extension ServiceBuilder {
    /// Passes every reply of this service (whenever its methods are registered) through
    /// `rewrite` for callers for whom `when` is true; see ``ReplyFilter``.
    public mutating func filterReplies(
        when applies: @escaping @Sendable (Principal) -> Bool,
        _ rewrite: @escaping @Sendable (_ reply: any ReplyMessage, _ principal: Principal) -> (any ReplyMessage)?
    ) {
        replyFilter = ReplyFilter(applies: applies, rewrite: rewrite)
    }
}
