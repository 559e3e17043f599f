import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
@testable import XinyuPluginSDK
import XinyuStore
import XinyuWire

@Suite("context.today in the city's zone; PluginSettings as a SettingsTable; request dates")
struct CityDayAndSettingsTests {
    /// 2026-03-01 23:30 UTC: 2 March in Ningbo.
    static let lateEvening = Date(timeIntervalSince1970: 1_772_407_800)

    func today(calendar: CityCalendar?) async throws -> CalendarDay? {
        let database = try SharedDatabase.temporary()
        try database.migrateCore()
        let seen = NIOLockedValueBox<CalendarDay?>(nil)
        var registry = ServiceRegistry()
        registry.every(.seconds(60), "today") { context in seen.withLockedValue { $0 = context.today } }
        let clock = ManualClock(Self.lateEvening)
        let dispatcher = if let calendar {
            ServiceDispatcher(owner: "demo", registry: registry, database: database, caller: NoHost(), logger: Logger(label: "test"), clock: clock, calendar: calendar)
        } else {
            ServiceDispatcher(owner: "demo", registry: registry, database: database, caller: NoHost(), logger: Logger(label: "test"), clock: clock)
        }
        try await dispatcher.runJob("today")
        return seen.withLockedValue { $0 }
    }

    @Test("today is the day in the city's zone: Shanghai by default, the configured zone otherwise")
    func todayInTheCity() async throws {
        #expect(try await today(calendar: nil) == CalendarDay("2026-03-02"))
        #expect(try await today(calendar: CityCalendar(timeZoneIdentifier: "UTC")) == CalendarDay("2026-03-01"))
    }

    @Test("settings: nil without a file, a table with errors naming the file and key otherwise")
    func settingsTable() throws {
        #expect(try PluginSettings(path: nil, text: nil).table() == nil)
        let table = try #require(try PluginSettings(path: "Config/plugins/demo.toml", text: "[reviews]\ndays = 0\n").table())
        let reviews = try #require(try table.subtable("reviews"))
        #expect(throws: SettingsError(source: "Config/plugins/demo.toml", key: "reviews.days", problem: "0 is outside 1…365")) {
            try reviews.int("days", in: 1...365)
        }
    }

    @Test("a request's date: empty takes the default or is required; a non-date names the field")
    func requestDates() throws {
        let today = try #require(CalendarDay("2026-03-02"))
        #expect(try CalendarDay.fromRequest("", field: "held_on", default: today) == today)
        #expect(try CalendarDay.fromRequest("2026-02-28", field: "held_on") == CalendarDay("2026-02-28"))
        #expect(throws: RPCError.invalidField("from", "is required (YYYY-MM-DD)")) { try CalendarDay.fromRequest("", field: "from") }
        #expect(throws: RPCError.invalidField("from", "\"2026-02-30\" is not a date (YYYY-MM-DD)")) { try CalendarDay.fromRequest("2026-02-30", field: "from") }
    }
}

@Suite("The city's time zone travels from the host to the plugin")
struct PluginTimeZoneTests {
    let base = ["XINYU_PLUGIN_SOCKET": "/tmp/s", "XINYU_DATABASE": "/tmp/d", "XINYU_PLUGIN_NAME": "demo"]

    @Test("XINYU_CITY_TIME_ZONE sets the plugin's calendar; unset is Asia/Shanghai; a bad zone stops the start naming the key")
    func timeZoneVariable() throws {
        #expect(try PluginEnvironment.from(base).calendar == .shanghai)
        var env = base
        env["XINYU_CITY_TIME_ZONE"] = "Europe/Berlin"
        #expect(try PluginEnvironment.from(env).calendar.timeZoneIdentifier == "Europe/Berlin")
        env["XINYU_CITY_TIME_ZONE"] = "Mars/Olympus"
        do {
            _ = try PluginEnvironment.from(env)
            Issue.record("accepted an unknown zone")
        } catch {
            #expect("\(error)".contains("'Mars/Olympus' is not a time zone (city.time_zone"), "\(error)")
        }
    }
}
