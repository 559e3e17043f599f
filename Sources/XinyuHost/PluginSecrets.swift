import Crypto
import Foundation
import NIOConcurrencyHelpers

/// One-time secrets handed to plugin processes the host starts, so that no other process can
/// register as a plugin even if it reaches the private socket.
final class PluginSecrets: Sendable {
    private let secrets = NIOLockedValueBox<[String: String]>([:])

    /// A fresh 256-bit secret for the plugin's next start; any earlier one is void.
    func issue(for plugin: String) -> String {
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
        secrets.withLockedValue { s in
            s = s.filter { $0.value != plugin }
            s[secret] = plugin
        }
        return secret
    }

    /// The plugin a secret was issued to; the secret is used up.
    func redeem(_ secret: String) -> String? {
        secrets.withLockedValue { $0.removeValue(forKey: secret) }
    }
}
