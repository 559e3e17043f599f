import Testing
import XinyuDomainKit

/// Regression tests for crashes the `settings` fuzzer found (docs/FUZZING.md): toml++ asserts
/// when a date-time's 'T' is not followed by a digit, when a `}` stands where an array expects a
/// value, and when a date is followed by a space and one digit, which aborted the whole process.
@Suite("SettingsTable: values toml++ would assert on are errors naming the line, never a crash")
struct SettingsValueStartTests {
    @Test("a 'T' followed by anything but a digit is refused, wherever the value is", arguments: [
        ("a = 2000-01-01T!:", 1),
        ("x = [ 1, 1979-05-27t'07:32 ]", 1),
        ("[t]\nok = 1979-05-27T07:32:00Z\ny = { z = 1979-05-27Té:00 }", 3),
        ("list = [\n  # a comment\n  1979-05-27T07:32:00,\n  1979-05-27T-07:32:00,\n]", 4),
        // The input as the fuzzer found it (Fuzz/Crashes/settings-toml-date-time, without the selector byte).
        ("a = 1\nb = \"x\"\n[t]\nc = [1, 2]\nd = 1.5\n[[arr]]\ne = true\n[[arr]]\nf = 1979-05-20T'7732:00Z\n", 9),
    ])
    func refused(text: String, line: Int) {
        do {
            _ = try SettingsTable.parse(text, source: "x.toml")
            Issue.record("parsed \(text.debugDescription)")
        } catch {
            #expect(error.key == "line \(line)")
            #expect(error.problem.contains("date-time"))
        }
    }

    @Test("a '}' where an array expects a value is refused", arguments: [
        ("x = [ } ]", 1),
        ("x = [1, }", 1),
        ("a = 1\nx = [\n  # nothing yet\n  }", 4),
        ("t = { k = [ } }", 1),
        // The input as the fuzzer found it (Fuzz/Crashes/settings-toml-array-brace, without the selector byte).
        ("x = { y = { z = [ \n } = 4\n", 2),
    ])
    func braceInArrayRefused(text: String, line: Int) {
        do {
            _ = try SettingsTable.parse(text, source: "x.toml")
            Issue.record("parsed \(text.debugDescription)")
        } catch {
            #expect(error.key == "line \(line)")
            #expect(error.problem.contains("array holds a '}'"))
        }
    }

    @Test("a date followed by a space and one digit is refused", arguments: [
        ("d = 2000-01-01 1", 1),
        ("x = [ 2000-01-01 7, 2 ]", 1),
        ("a = 1\nd = 2_000-01-01 3 # comment", 2),
        // The input as the fuzzer found it (Fuzz/Crashes/settings-toml-date-digit, without the selector byte).
        ("a = 1\nb = 2431-05-2= 1\nb = 2431-05-2+T07:\u{FFFD}\u{FFFD}\u{FFFD},+T07:\u{FFFD}\u{FFFD}\u{FFFD},0Z\n", 2),
    ])
    func strayDigitAfterDateRefused(text: String, line: Int) {
        do {
            _ = try SettingsTable.parse(text, source: "x.toml")
            Issue.record("parsed \(text.debugDescription)")
        } catch {
            #expect(error.key == "line \(line)")
            #expect(error.problem.contains("single digit"))
        }
    }

    @Test("a date with a time after a space, or with a comment after it, still parses")
    func dateThenSpaceStillParses() throws {
        let table = try SettingsTable.parse("a = 2000-01-01 12:30:00\nb = 2000-01-01 # 1\nc = [2000-01-01 ]\n", source: "x.toml")
        #expect(table.has("a") && table.has("b") && table.has("c"))
    }

    @Test("arrays of inline tables, nested arrays and braces in strings still parse")
    func arraysStillParse() throws {
        let table = try SettingsTable.parse(#"""
            rows = [ { a = 1 }, { b = [ { c = "}" } ] } ]
            nested = [ [ 1 ], [ ], [ "}" ] ]
            """#, source: "x.toml")
        #expect(try table.tables("rows")?.count == 2)
        #expect(table.has("nested"))
    }

    @Test("date-times, dates, times and look-alikes in keys and strings still parse")
    func validStillParses() throws {
        let table = try SettingsTable.parse(#"""
            1979-05-27Tx = "a bare key that looks like a date"
            when = 1979-05-27T07:32:00Z
            local = 1979-05-27t07:32:00.5
            spaced = 1979-05-27 07:32:00+08:00
            day = 1979-05-27
            at = 07:32:00
            text = "1979-05-27T!"
            note = '''
            1979-05-27T'
            '''
            list = [1979-05-27T00:00:00, 2]
            inline = { k = 1979-05-27T00:00:00 }
            """#, source: "x.toml")
        #expect(try table.string("1979-05-27Tx") == "a bare key that looks like a date")
        #expect(try table.string("text") == "1979-05-27T!")
        #expect(table.has("when") && table.has("spaced") && table.has("list") && table.has("inline"))
    }
}
