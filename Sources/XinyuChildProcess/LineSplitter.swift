/// Cuts a byte stream into lines at "\n", keeping a line's bytes together until it is complete,
/// so a UTF-8 character split across two reads still decodes whole.
///
/// A line longer than `maxLineBytes` is passed on in pieces of that size, so a child that never
/// prints a newline cannot make its reader hold unbounded memory.
struct LineSplitter: Sendable {
    let maxLineBytes: Int
    private var pending: [UInt8] = []

    init(maxLineBytes: Int = 64 * 1024) {
        self.maxLineBytes = maxLineBytes
    }

    /// Adds bytes and returns the lines they complete (without their "\n"; a "\r" before it is
    /// dropped too).
    mutating func append(_ bytes: some Collection<UInt8>) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == 0x0A {
                lines.append(Self.decode(pending))
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
                if pending.count >= maxLineBytes {
                    lines.append(Self.decode(pending))
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }
        return lines
    }

    /// The stream ended: the last line if it had no "\n".
    mutating func finish() -> String? {
        defer { pending.removeAll() }
        return pending.isEmpty ? nil : Self.decode(pending)
    }

    private static func decode(_ bytes: [UInt8]) -> String {
        let trimmed = bytes.last == 0x0D ? bytes.dropLast() : bytes[...]
        return String(decoding: trimmed, as: UTF8.self)
    }
}
