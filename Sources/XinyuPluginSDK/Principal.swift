import XinyuWire

/// Who is making a call, as the host authenticated them.
///
/// Plugins never authenticate anyone themselves: the host checks credentials and permissions
/// before a call reaches a plugin and sends the principal with it.
public struct Principal: Sendable, Hashable {
    /// What kind of party this is.
    public enum Kind: String, Sendable {
        case person, agency, service, `operator`, plugin, unknown
    }

    /// Stable id, e.g. "operator", "plugin:crisis", "staff:T0012".
    public var id: String
    public var kind: Kind
    public var displayName: String
    public var roles: [String]
    public var permissions: Set<String>
    public var scopes: [DataScope]
    /// For agencies: "hospital", "police", "procuratorate", ...; empty otherwise.
    public var agencyKind: String

    /// Creates a principal.
    public init(id: String, kind: Kind, displayName: String = "", roles: [String] = [], permissions: Set<String> = [], scopes: [DataScope] = [.city], agencyKind: String = "") {
        self.id = id
        self.kind = kind
        self.displayName = displayName
        self.roles = roles
        self.permissions = permissions
        self.scopes = scopes
        self.agencyKind = agencyKind
    }

    /// True when the principal holds the permission, directly or through a wildcard:
    /// "*" (everything) or "crisis.*" (every permission under "crisis.").
    public func has(_ permission: String) -> Bool {
        if permission.isEmpty || permissions.contains(permission) || permissions.contains("*") { return true }
        var prefix = Substring(permission)
        while let dot = prefix.lastIndex(of: ".") {
            prefix = prefix[..<dot]
            if permissions.contains(prefix + ".*") { return true }
        }
        return false
    }

    /// Who the host itself is when it calls a plugin (event delivery).
    public static let host = Principal(id: "host", kind: .service, displayName: "xinyu-host", permissions: ["*"])
}

/// One grant of data visibility: a kind and the ids it covers.
///
/// A principal holds one or more; a record is visible when any one covers it. Plugins apply
/// them with ``CallContext/scopeFilter(_:)`` (queries) and ``CallContext/requireScope(_:what:hideExistence:)``
/// (single records).
public struct DataScope: Sendable, Hashable {
    /// The kinds of scope, as they travel on the wire.
    public enum Kind {
        /// Everything in the city (city staff, the growth centre, the operator).
        public static let city = "city"
        /// The students of the listed schools (principals, psych teachers).
        public static let school = "school"
        /// The students of the listed classes (class teachers, 班主任).
        public static let `class` = "class"
        /// The students in the heart grids (心网格) of the listed mentors (德育导师).
        public static let grid = "grid"
        /// Records shared with the listed agencies (hospital, police, procuratorate, ...).
        public static let agency = "agency"
        /// The listed students only (an explicit, narrow grant).
        public static let student = "student"
        /// Every kind the host accepts.
        public static let all: Set<String> = [city, school, `class`, grid, agency, student]
    }

    /// One of ``Kind``: "city", "school", "class", "grid", "agency" or "student".
    public var kind: String
    public var ids: [String]

    /// Creates a scope.
    public init(kind: String, ids: [String] = []) {
        self.kind = kind
        self.ids = ids
    }

    /// Everything in the city.
    public static let city = DataScope(kind: "city")
}

extension Principal {
    /// Reads the principal the host sent with a call.
    public init(wire: Xinyu_Wire_V1_Principal) {
        let kind: Kind = switch wire.kind {
        case .person: .person
        case .agency: .agency
        case .service: .service
        case .operator: .operator
        case .plugin: .plugin
        default: .unknown
        }
        self.init(
            id: wire.id, kind: kind, displayName: wire.displayName, roles: wire.roles,
            permissions: Set(wire.permissions), scopes: wire.scopes.map { DataScope(kind: $0.kind, ids: $0.ids) },
            agencyKind: wire.agencyKind)
    }

    /// The principal as it travels on the wire.
    public var wire: Xinyu_Wire_V1_Principal {
        var p = Xinyu_Wire_V1_Principal()
        p.id = id
        p.kind = switch kind {
        case .person: .person
        case .agency: .agency
        case .service: .service
        case .operator: .operator
        case .plugin: .plugin
        case .unknown: .unspecified
        }
        p.displayName = displayName
        p.agencyKind = agencyKind
        p.roles = roles
        p.permissions = permissions.sorted()
        p.scopes = scopes.map {
            var s = Xinyu_Wire_V1_DataScope()
            s.kind = $0.kind
            s.ids = $0.ids
            return s
        }
        return p
    }
}
