import Testing
import XinyuDomainKit

/// Regression tests for the crash the `settings` fuzzer found (docs/FUZZING.md): toml++ asserts
/// on a table header that does not start with a key, which aborted the whole process.
@Suite("SettingsTable: a malformed table header is an error naming the line, never a crash")
struct SettingsTableHeaderTests {
    @Test("headers starting with punctuation, non-ASCII or a control byte are refused", arguments: [
        ("[!]", 1), ("a = 1\n[é]\nb = 2", 2), ("[[\u{03}]]", 1), ("\n\n  [ ?x]", 3),
        // The input as the fuzzer found it (Fuzz/Crashes/settings-toml-table-header, start).
        ("\u{07}a = 1\nb = \"x\"\n[t]\nc = [1, 2]\nd = 1.5\n[\u{02}# Settings of the crisis plugin", 6),
        // After a byte order mark, which toml++ skips (Fuzz/Crashes/settings-toml-bom-table-header).
        ("\u{FEFF} [ {!\"name = J", 1), ("\u{FEFF}[!]", 1),
    ])
    func refused(text: String, line: Int) {
        do {
            _ = try SettingsTable.parse(text, source: "x.toml")
            Issue.record("parsed \(text.debugDescription)")
        } catch {
            #expect(error.key == "line \(line)")
            #expect(error.problem.contains("table header"))
        }
    }

    @Test("a file that starts with a byte order mark still parses")
    func byteOrderMark() throws {
        let table = try SettingsTable.parse("\u{FEFF}[server]\nname = \"心育\"\n", source: "x.toml")
        #expect(try table.subtable("server")?.string("name") == "心育")
    }

    @Test("valid files with brackets in arrays, strings and comments still parse")
    func validStillParses() throws {
        let table = try SettingsTable.parse(#"""
            # [!] in a comment is nothing
            [ "quoted key" ]
            list = [
              [1, 2],
              [ "a", "b" ],
              [{ x = 1 }],
            ]
            text = """
            [!] inside a multi-line string
            """
            literal = '[é]'
            [[rows]]
            id = "第一"
            [ spaced ]
            v = 1
            """#, source: "x.toml")
        #expect(try table.tables("rows")?.first?.string("id") == "第一")
        let quoted = try #require(try table.subtable("quoted key"))
        #expect(try quoted.string("text") == "[!] inside a multi-line string\n")
        #expect(try table.subtable("spaced")?.int("v", in: 0...9) == 1)
    }
}
