// A helper executable for the ChildProcess tests, run as its own process so what it measures
// (its descriptors, its children) is not disturbed by the tests running beside it.
//
//   ChildProcessFixture stress N
//       Spawns N short-lived children at once (each prints a Chinese line on stdout and one on
//       stderr and exits 7), waits for every exit, then prints
//       "children N exits-ok A lines-ok B fds-before C fds-after D unreaped E" and exits 0 when
//       every exit and line arrived, no descriptor leaked and no child is left to reap.
//   ChildProcessFixture hold EXECUTABLE ARGS...
//       Starts EXECUTABLE with a standard input it holds open, prints "child-pid PID" and each
//       line of the child's stdout as "child: LINE", and lives until its own standard input
//       ends (or it is killed): the test process → this → host chain of the e2e tests.
import Foundation
import XinyuChildProcess

func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
}

/// This process's open descriptors that a child process could leak (pipes, sockets, pidfds,
/// files), with what each one is (for the report when they differ).
func openDescriptors() -> [String] {
    var names: [String] = []
    guard let directory = opendir("/proc/self/fd") else { return [] }
    defer { closedir(directory) }
    let own = dirfd(directory)
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        guard let fd = Int32(name), fd != own else { continue }
        var target = [CChar](repeating: 0, count: 256)
        let length = readlink("/proc/self/fd/\(fd)", &target, target.count - 1)
        let what = length > 0 ? String(decoding: target[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
        // The runtime's own descriptors (libdispatch's timerfd/eventfd/epoll, made when a
        // thread first needs one, e.g. for Task.sleep under load) are not ours to count.
        if what.hasPrefix("anon_inode:"), what != "anon_inode:[pidfd]" { continue }
        names.append("\(fd)=\(what)")
    }
    return names.sorted()
}

func stress(_ count: Int) async -> Bool {
    // Made on first use, and not leaks: the reactor's epoll descriptor and thread, and
    // libdispatch's timer descriptors (Task.sleep, used below).
    let warmUp = try? ChildProcess.spawn(executable: "/bin/true")
    _ = await warmUp?.waitForExit()
    try? await Task.sleep(for: .milliseconds(1))
    let before = openDescriptors()
    let results = await withTaskGroup(of: (Bool, Bool).self) { group in
        for _ in 0..<count {
            group.addTask {
                let lines = LinesBox()
                guard let child = try? ChildProcess.spawn(
                    executable: "/bin/sh", arguments: ["-c", "echo 心育 $$; echo 错误 >&2; exit 7"], standardInput: .pipe,
                    standardOutput: .lines { lines.add("out \($0)") }, standardError: .lines { lines.add("err \($0)") })
                else { return (false, false) }
                let status = await child.waitForExit()
                let got = lines.all
                let linesOK = got.count == 2 && got.contains("out 心育 \(child.pid)") && got.contains("err 错误")
                return (status == .exited(7), linesOK)
            }
        }
        var all: [(Bool, Bool)] = []
        for await result in group { all.append(result) }
        return all
    }
    // Every child is reaped before its exit is reported; nothing of ours may be left to reap.
    var status: Int32 = 0
    let unreaped = waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD ? 0 : 1
    // The last ChildProcess objects are released with the task group; give deinit a moment.
    var after = openDescriptors()
    let deadline = ContinuousClock.now + .seconds(5)
    while after != before && ContinuousClock.now < deadline {
        try? await Task.sleep(for: .milliseconds(20))
        after = openDescriptors()
    }
    let exitsOK = results.filter(\.0).count
    let linesOK = results.filter(\.1).count
    say("children \(count) exits-ok \(exitsOK) lines-ok \(linesOK) fds-before \(before.count) fds-after \(after.count) unreaped \(unreaped)")
    if after != before { say("descriptors before: \(before.joined(separator: " ")); after: \(after.joined(separator: " "))") }
    return exitsOK == count && linesOK == count && after == before && unreaped == 0
}

func hold(_ executable: String, _ arguments: [String]) -> Never {
    do {
        let child = try ChildProcess.spawn(
            executable: executable, arguments: arguments, standardInput: .pipe,
            standardOutput: .lines { say("child: \($0)") }, standardError: .null)
        say("child-pid \(child.pid)")
        // Lives until the test closes our standard input (or kills us, which is the point).
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = read(STDIN_FILENO, &buffer, buffer.count)
            if count == 0 || (count < 0 && errno != EINTR) { break }
        }
        child.closeStandardInput()
        exit(0)
    } catch {
        say("error \(error)")
        exit(1)
    }
}

final class LinesBox: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "stress":
    exit(await stress(Int(arguments.dropFirst(2).first ?? "") ?? 200) ? 0 : 1)
case "hold" where arguments.count >= 3:
    hold(arguments[2], Array(arguments.dropFirst(3)))
default:
    say("usage: ChildProcessFixture stress N | hold EXECUTABLE ARGS...")
    exit(64)
}
