import Testing
import XinyuDomainKit

@Suite("SettingsTable: strict reads of a settings file, errors naming the key")
struct SettingsTableTests {
    @Test("typed values, nested tables and arrays of tables are read with their key paths")
    func reads() throws {
        let table = try SettingsTable.parse("""
            name = "宁波"
            [limits]
            ratio = 15
            enabled = true
            [[rooms]]
            id = "A"
            [[rooms]]
            id = "B"
            """, source: "x.toml")
        try table.allowOnly(["name", "limits", "rooms"])
        #expect(try table.string("name") == "宁波")
        let limits = try #require(try table.subtable("limits"))
        #expect(limits.path == "limits")
        #expect(try limits.int("ratio", in: 1...100) == 15)
        #expect(try limits.bool("enabled") == true)
        let rooms = try #require(try table.tables("rooms"))
        #expect(rooms.map(\.path) == ["rooms[1]", "rooms[2]"])
        #expect(try rooms[1].requiredString("id") == "B")
    }

    @Test("an unknown key, a wrong type and a value out of range each name the key")
    func errors() throws {
        let table = try SettingsTable.parse("[limits]\nratio = 500\nmentor = 3\n", source: "x.toml")
        let limits = try #require(try table.subtable("limits"))
        #expect(throws: SettingsError(source: "x.toml", key: "limits.mentor", problem: "unknown key (known: ratio)")) {
            try limits.allowOnly(["ratio"])
        }
        #expect(throws: SettingsError(source: "x.toml", key: "limits.ratio", problem: "500 is outside 1…100")) {
            try limits.int("ratio", in: 1...100)
        }
        #expect(throws: SettingsError(source: "x.toml", key: "limits.mentor", problem: "must be a string")) {
            try limits.string("mentor")
        }
    }

    @Test("invalid TOML names the line")
    func syntax() {
        do {
            _ = try SettingsTable.parse("a = 1\nb = = 2\n", source: "x.toml")
            Issue.record("parsed invalid TOML")
        } catch {
            #expect(error.key == "line 2")
            #expect(error.description.hasPrefix("x.toml: line 2: not valid TOML"))
        }
    }
}
