import Foundation
import XinyuCoreAPI
import XinyuPluginSDK

/// Conversions between the admin service's messages and the host's records.
enum AdminWire {
    static func kind(_ kind: Principal.Kind) -> Xinyu_Admin_V1_PrincipalKind {
        switch kind {
        case .person: .person
        case .agency: .agency
        case .service: .service
        case .operator: .operator
        default: .unspecified
        }
    }

    static func record(_ p: StoredPrincipal) -> Xinyu_Admin_V1_PrincipalRecord {
        var r = Xinyu_Admin_V1_PrincipalRecord()
        r.id = p.id
        r.kind = kind(p.kind)
        r.displayName = p.displayName
        r.roles = p.roles
        r.scopes = p.scopes.map { scope in
            var s = Xinyu_Admin_V1_Scope()
            s.kind = scope.kind
            s.ids = scope.ids
            return s
        }
        r.agencyKind = p.agencyKind
        r.certificateCommonName = p.certificateCommonName ?? ""
        r.disabled = p.disabled
        r.createdAtMs = p.createdAtMs
        r.createdBy = p.createdBy
        return r
    }

    static func record(_ role: RoleDefinition) -> Xinyu_Admin_V1_RoleRecord {
        var r = Xinyu_Admin_V1_RoleRecord()
        r.name = role.name
        r.description_p = role.description
        r.permissions = role.permissions
        r.source = role.source
        return r
    }

    static func record(_ t: StoredToken) -> Xinyu_Admin_V1_TokenRecord {
        var r = Xinyu_Admin_V1_TokenRecord()
        r.id = t.id
        r.principalID = t.principalID
        r.label = t.label
        r.createdAtMs = t.createdAtMs
        r.createdBy = t.createdBy
        r.expiresAtMs = t.expiresAtMs
        r.revokedAtMs = t.revokedAtMs
        r.revokedBy = t.revokedBy
        r.lastUsedAtMs = t.lastUsedAtMs
        return r
    }
}
