import Crypto
import Testing
@testable import XinyuAudit

/// Pins the chain's canonical encoding to a value computed outside Swift (Python's hmac over
/// the layout documented on `AuditChain`): a change to the encoder that altered one byte
/// would make every stored log fail verification.
@Suite struct AuditChainEncodingTests {
    @Test func entryHashMatchesTheDocumentedEncoding() {
        let chain = AuditChain(key: SymmetricKey(data: (1...32).map { UInt8($0) }))
        let fields = AuditFields(
            time: "2026-11-29T06:00:00.123Z", principalID: "staff:T0012", principalKind: "person",
            source: "unix uid 0", method: "xinyu.crisis.v1.Crisis/GetWarningLevel", outcome: "OK", detail: "",
            subjects: ["S2024-0001", "王小明"])
        let hash = chain.entryHash(previous: AuditChain.genesis, sequence: 7, fields: fields)
        #expect(Hex.encode(hash) == "3b6adb299973e7d0a26ff46dff89118be42b9955ca13962eb63d932137ae578a")
    }
}
