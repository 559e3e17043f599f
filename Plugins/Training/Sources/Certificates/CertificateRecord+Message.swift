import XinyuPluginSDK
import XinyuTrainingAPI

extension CertificateRecord {
    /// The API message.
    var message: Xinyu_Training_V1_Certificate {
        var m = Xinyu_Training_V1_Certificate()
        m.number = number
        m.staffID = staffID
        m.level = Xinyu_Training_V1_CertificateLevel(storedText: level) ?? .unspecified
        m.issuedOn = issuedOn
        m.expiresOn = expiresOn
        m.sessionID = sessionID
        return m
    }
}
