import Foundation

/// Notices the host's death: the host keeps the plugin's standard input open for as long as
/// it lives, so end of file there means the host is gone, however it died (even kill -9).
enum ParentWatcher {
    static func start(_ onHostGone: @escaping @Sendable () -> Void) {
        let thread = Thread {
            while let _ = readLine() {}
            onHostGone()
        }
        thread.name = "xinyu-parent-watcher"
        thread.start()
    }
}
