import Dispatch
import Foundation
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Ends when standard input reaches end of file, which shuts the host down gracefully: the
/// process that started the host holds the pipe's other end, so when that process dies, however
/// it dies, the host follows (as plugins follow the host).
///
/// Chosen over `prctl(PR_SET_PDEATHSIG)`, which fires when the *thread* that started the child
/// exits, not the process, and so can stop a host whose parent is alive and well.
/// Reads with a dispatch read source (no thread blocked in read), cancelled at shutdown.
struct StandardInputWatch: Service {
    var fileDescriptor: Int32 = STDIN_FILENO

    func run() async throws {
        let source = DispatchSource.makeReadSource(fileDescriptor: fileDescriptor, queue: DispatchQueue(label: "xinyu.stdin-watch"))
        let ended = NIOLockedValueBox<CheckedContinuation<Void, Never>?>(nil)
        let fd = fileDescriptor
        @Sendable func finish() {
            ended.withLockedValue { continuation in
                continuation?.resume()
                continuation = nil
            }
        }
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = read(fd, &buffer, buffer.count)
            // 0 is end of file; an error other than "try again" means the pipe is gone too.
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR) { finish() }
        }
        await withTaskCancellationOrGracefulShutdownHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let alreadyOver = Task.isCancelled || Task.isShuttingDownGracefully
                ended.withLockedValue { $0 = continuation }
                source.resume()
                if alreadyOver { finish() }
            }
        } onCancelOrGracefulShutdown: {
            finish()
        }
        source.cancel()
    }
}
