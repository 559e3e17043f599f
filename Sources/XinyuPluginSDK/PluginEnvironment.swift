import XinyuDomainKit
import Foundation

/// What the host hands a plugin process it starts: where to connect, the database, and a
/// one-time secret (on standard input, so it never shows in `ps` or the environment).
struct PluginEnvironment {
    static let socketVariable = "XINYU_PLUGIN_SOCKET"
    static let databaseVariable = "XINYU_DATABASE"
    static let nameVariable = "XINYU_PLUGIN_NAME"
    static let keepaliveVariable = "XINYU_KEEPALIVE_MS"
    static let configVariable = "XINYU_PLUGIN_CONFIG"
    /// The city's IANA time zone (`city.time_zone`); unset means Asia/Shanghai.
    static let timeZoneVariable = "XINYU_CITY_TIME_ZONE"

    let socketPath: String
    let databasePath: String
    let name: String
    let keepaliveMs: Int?
    /// The plugin's settings file, when the host found one.
    var configPath: String? = nil
    /// The city's calendar, so that "today" is today in the city.
    var calendar: CityCalendar = .shanghai

    /// Reads the variables; the error says how a person should start a plugin instead.
    static func fromProcess() throws -> PluginEnvironment {
        try from(ProcessInfo.processInfo.environment)
    }

    /// Reads the variables from `env` (the process's environment, or a test's).
    static func from(_ env: [String: String]) throws -> PluginEnvironment {
        guard let socket = env[socketVariable], let database = env[databaseVariable], let name = env[nameVariable] else {
            throw PluginStartError("this is a Xinyu plugin: xinyu-host starts it (with \(socketVariable), \(databaseVariable) and \(nameVariable) set and a secret on standard input). Start the host instead: scripts/run-host.sh")
        }
        var environment = PluginEnvironment(socketPath: socket, databasePath: database, name: name, keepaliveMs: env[keepaliveVariable].flatMap(Int.init))
        environment.configPath = env[configVariable].flatMap { $0.isEmpty ? nil : $0 }
        if let zone = env[timeZoneVariable], !zone.isEmpty {
            guard let calendar = CityCalendar(timeZoneIdentifier: zone) else {
                throw PluginStartError("\(timeZoneVariable) '\(zone)' is not a time zone (city.time_zone in the host's configuration, e.g. \"Asia/Shanghai\")")
            }
            environment.calendar = calendar
        }
        return environment
    }

    /// Reads the settings file named by the host.
    func settings() throws -> PluginSettings {
        guard let path = configPath else { return PluginSettings(path: nil, text: nil) }
        do {
            return PluginSettings(path: path, text: try String(contentsOfFile: path, encoding: .utf8))
        } catch {
            throw PluginStartError("cannot read settings file \(path): \(error.localizedDescription)")
        }
    }
}

/// Why a plugin process could not start.
struct PluginStartError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
