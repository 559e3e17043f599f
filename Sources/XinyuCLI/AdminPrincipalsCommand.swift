import ArgumentParser
import XinyuCoreAPI

/// `xinyu admin principals create|list|disable|enable`.
struct AdminPrincipalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "principals", abstract: "People, agencies and services that may use the host.",
        subcommands: [Create.self, List.self, Disable.self, Enable.self], defaultSubcommand: List.self)

    static func setDisabled(_ id: String, _ disabled: Bool, reason: String, _ connection: ConnectionOptions) async throws {
        var request = Xinyu_Admin_V1_SetPrincipalDisabledRequest()
        request.id = id
        request.disabled = disabled
        request.reason = reason
        _ = try await adminCall(connection, "SetPrincipalDisabled", request, as: Xinyu_Admin_V1_PrincipalRecord.self, idempotent: true)
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a principal with roles and data scopes.",
            discussion: "Example: xinyu admin principals create staff:T0012 --kind person --name 王老师 --role psych_teacher --scope school:S001")
        @Argument(help: "Principal id, e.g. staff:T0012 or agency:kangning.") var id: String
        @Option(help: "person, agency or service.") var kind: String
        @Option(help: "Display name, e.g. 王老师 or 宁波市康宁医院.") var name: String
        @Option(name: .customLong("role"), help: "A role (repeatable), e.g. psych_teacher.") var roles: [String] = []
        @Option(name: .customLong("scope"), help: "A data scope KIND[:ID,ID...] (repeatable): city, school:S001, class:C0101, grid:T0033, agency:kangning, student:S2024-0113.") var scopes: [String] = []
        @Option(help: "For agencies: hospital, police, procuratorate, court, civil_affairs, womens_federation, health_bureau, youth_league, provincial_aid_centre, hotline.") var agencyKind: String = ""
        @Option(help: "For mTLS: the CN of the agency's client certificate.") var certificateCn: String = ""
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                var request = Xinyu_Admin_V1_CreatePrincipalRequest()
                request.id = id
                request.kind = switch kind {
                case "person": .person
                case "agency": .agency
                case "service": .service
                default: throw CLIError("--kind: '\(kind)' must be person, agency or service")
                }
                request.displayName = name
                request.roles = roles
                request.scopes = try scopes.map(Self.parseScope)
                request.agencyKind = agencyKind
                request.certificateCommonName = certificateCn
                let record = try await adminCall(connection, "CreatePrincipal", request, as: Xinyu_Admin_V1_PrincipalRecord.self, idempotent: true)
                print("created \(record.id) (\(record.displayName)) with roles \(record.roles.joined(separator: ", "))")
                print("issue it a token: xinyu admin tokens issue \(record.id) --label \"...\"")
            }
        }

        static func parseScope(_ text: String) throws -> Xinyu_Admin_V1_Scope {
            var scope = Xinyu_Admin_V1_Scope()
            let parts = text.split(separator: ":", maxSplits: 1)
            scope.kind = String(parts.first ?? "")
            if parts.count == 2 { scope.ids = parts[1].split(separator: ",").map(String.init) }
            return scope
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List principals with their roles and scopes.")
        @Option(help: "Only principals with this role.") var role: String = ""
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                var request = Xinyu_Admin_V1_ListPrincipalsRequest()
                request.role = role
                let response = try await adminCall(connection, "ListPrincipals", request, as: Xinyu_Admin_V1_ListPrincipalsResponse.self)
                var rows = [["ID", "KIND", "NAME", "ROLES", "SCOPES", "STATE"]]
                for p in response.principals {
                    let kind = String(describing: p.kind).replacingOccurrences(of: "PrincipalKind.", with: "")
                    let scopes = p.scopes.map { $0.ids.isEmpty ? $0.kind : "\($0.kind):\($0.ids.joined(separator: ","))" }.joined(separator: " ")
                    rows.append([p.id, kind + (p.agencyKind.isEmpty ? "" : "/\(p.agencyKind)"), p.displayName, p.roles.joined(separator: ","), scopes, p.disabled ? "disabled" : "active"])
                }
                print(TextTable.render(rows))
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a principal: its tokens and certificate stop working at once.")
        @Argument var id: String
        @Option(help: "Why (kept in the audit trail).") var reason: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                try await AdminPrincipalsCommand.setDisabled(id, true, reason: reason, connection)
                print("disabled \(id)")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled principal again.")
        @Argument var id: String
        @Option(help: "Why (kept in the audit trail).") var reason: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                try await AdminPrincipalsCommand.setDisabled(id, false, reason: reason, connection)
                print("enabled \(id)")
            }
        }
    }
}
