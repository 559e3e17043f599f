import Testing
import XinyuPluginSDK
@testable import XinyuHost

@Suite("Permissions and roles")
struct PermissionTests {
    @Test(arguments: [
        (["crisis.*"], "crisis.case.read", true),
        (["crisis.*"], "crisisx.case.read", false),
        (["crisis.case.*"], "crisis.case.read", true),
        (["crisis.case.*"], "crisis.notes.read", false),
        (["crisis.case.read"], "crisis.case.read", true),
        (["crisis.case.read"], "crisis.case.write", false),
        (["*"], "admin.tokens", true),
        ([], "", true),
    ])
    func wildcardPermissions(granted: [String], needed: String, allowed: Bool) {
        let principal = Principal(id: "p", kind: .person, permissions: Set(granted))
        #expect(principal.has(needed) == allowed)
    }

    @Test func rolesFileParsesAndRejectsBadEntriesNamingThem() throws {
        let roles = try RolesFile.parse("""
            [psych_teacher]
            description = "心理教师"
            permissions = ["crisis.case.read", "crisis.*"]
            """, source: "roles.toml")
        #expect(roles == [RoleDefinition(name: "psych_teacher", description: "心理教师", permissions: ["crisis.case.read", "crisis.*"], source: "config")])
        let bad: [(String, String)] = [
            ("[Bad]\ndescription = \"x\"\npermissions = []", "role 'Bad'"),
            ("[r]\ndescription = \"x\"\npermissions = [\"crisis..read\"]", "r.permissions[0]"),
            ("[r]\npermissions = [\"a.b\"]", "r.description"),
            ("[r]\ndescription = \"x\"\npermissions = [\"a.b\"]\nextra = 1", "r.extra"),
            ("[r]\ndescription = \"x\"\npermissions = [\"*.b\"]", "r.permissions[0]"),
        ]
        for (text, named) in bad {
            #expect(throws: ConfigurationError.self) { try RolesFile.parse(text, source: "roles.toml") }
            do { _ = try RolesFile.parse(text, source: "roles.toml") } catch { #expect("\(error)".contains(named), "\(error)") }
        }
    }

    @Test func shippedRolesFileIsValidAndNeverGivesPeopleEverything() throws {
        let path = #filePath.components(separatedBy: "/Tests/")[0] + "/Config/roles.toml"
        let roles = try RolesFile.load(path: path)
        let names = Set(roles.map(\.name))
        for needed in ["operator", "city_staff", "growth_centre", "principal", "psych_teacher", "class_teacher", "mentor", "agency_hospital", "agency_partner"] {
            #expect(names.contains(needed), "missing default role \(needed)")
        }
        #expect(roles.allSatisfy { !$0.permissions.contains("*") })
        // Clinical notes only for psych staff (minimum necessary access).
        let notes = roles.filter { role in Principal(id: "x", kind: .person, permissions: Set(role.permissions)).has("crisis.notes.read") }.map(\.name).sorted()
        #expect(notes == ["growth_centre", "psych_teacher"])
    }

    @Test func throttleSlowsRepeatedFailuresAndForgivesOnSuccess() {
        let throttle = AuthFailureThrottle(freeFailures: 3, baseDelay: .milliseconds(250), maxDelay: .seconds(8))
        let delays = (1...10).map { _ in throttle.recordFailure(from: "tcp 10.0.0.9").delay }
        #expect(delays[0...2].allSatisfy { $0 == .zero })
        #expect(delays[3] == .milliseconds(250))
        #expect(delays[4] == .milliseconds(500))
        #expect(delays[9] == .seconds(8))
        #expect(throttle.recordFailure(from: "tcp 10.0.0.10").delay == .zero)
        throttle.recordSuccess(from: "tcp 10.0.0.9")
        #expect(throttle.recordFailure(from: "tcp 10.0.0.9").count == 1)
    }

    @Test func tokenFormatRoundTrips() {
        let generated = TokenFormat.generate()
        #expect(TokenFormat.parse(generated.token) == TokenFormat.Parsed(id: generated.id, secret: generated.secret))
        #expect(TokenFormat.parse("xyt_\(generated.id)_\(generated.secret)x") == nil)
    }
}
