import Foundation

/// The plugins installed beside the host: every executable `xinyu-plugin-<name>` in the plugin
/// folder. The host keeps no list of plugin names; adding a plugin is building its executable.
enum InstalledPlugins {
    /// The names of the installed plugins, sorted; empty when the folder cannot be read.
    static func names(in directory: URL) -> [String] {
        let prefix = "xinyu-plugin-"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return entries.compactMap { entry -> String? in
            guard entry.hasPrefix(prefix) else { return nil }
            let name = String(entry.dropFirst(prefix.count))
            guard PluginName.isValid(name),
                  FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent(entry).path)
            else { return nil }
            return name
        }.sorted()
    }
}
