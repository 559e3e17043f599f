import XinyuHomeschoolAPI
import XinyuPluginSDK

/// Why the parents refused a responsibility on a special visit: one of the configured reasons
/// (`refusal_reasons` in homeschool.toml), a note in the visitor's words, or both. A refusal
/// without either is refused; an acknowledgement that is not a refusal carries neither.
enum RefusalReason {
    static func check(_ ack: Xinyu_Homeschool_V1_Acknowledgement, field: String, configured: [String]) throws -> (reason: String, note: String) {
        let note = try Require.optional("\(field).refusal_note", ack.refusalNote, max: 500)
        guard ack.refused else {
            guard ack.refusalReason.isEmpty, note.isEmpty else {
                throw RPCError.invalidField("\(field).refusal_reason", "only a refusal has a reason (refused is false)")
            }
            return ("", "")
        }
        if !ack.refusalReason.isEmpty, !configured.contains(ack.refusalReason) {
            throw RPCError.invalidField("\(field).refusal_reason", "'\(ack.refusalReason)' is not one of \(configured.joined(separator: ", ")); or write it in refusal_note")
        }
        guard !ack.refusalReason.isEmpty || !note.isEmpty else {
            throw RPCError.invalidField("\(field).refusal_reason", "a refusal needs its reason: one of \(configured.joined(separator: ", ")), or refusal_note in words")
        }
        return (ack.refusalReason, note)
    }
}
