import Glibc

/// A thin owner of a Glibc iconv handle converting GB18030 (a superset of GBK) to UTF-8.
///
/// Foundation's `String(data:encoding:)` is unreliable for GBK on Linux, so we
/// call iconv directly. The class exists so the handle is always closed
/// (in `deinit`), whichever way a conversion ends.
final class GBKConverter {
    /// Why a conversion stopped: the byte offset of the first byte iconv could not decode.
    struct Failure: Error {
        let offset: Int
    }

    private let handle: iconv_t

    /// Opens the converter, or returns nil when the C library has no GB18030/GBK
    /// tables (some minimal containers ship without gconv modules).
    init?() {
        for source in ["GB18030", "GBK"] {
            let candidate = iconv_open("UTF-8", source)
            if Int(bitPattern: candidate) != -1 {
                handle = candidate!
                return
            }
        }
        return nil
    }

    deinit {
        iconv_close(handle)
    }

    /// Converts `bytes` to UTF-8 bytes, or reports the offset where decoding failed.
    ///
    /// Both EILSEQ (an invalid sequence) and EINVAL (a sequence cut off at the
    /// end) count as failures: either way the file is not GBK.
    /// `initialCapacity` exists so tests can force the E2BIG growth path.
    func convert(_ bytes: ArraySlice<UInt8>, initialCapacity: Int? = nil) -> Result<[UInt8], Failure> {
        if bytes.isEmpty { return .success([]) }
        // Reset shift state so one converter can be reused for several inputs.
        iconv(handle, nil, nil, nil, nil)

        var input = Array(bytes)
        // GBK's 2 bytes become at most 3 UTF-8 bytes, GB18030's 4 at most 4; start
        // with room for the worst case and still grow on E2BIG, to be safe.
        var output = [UInt8](repeating: 0, count: max(1, initialCapacity ?? input.count * 2 + 16))
        var produced = 0
        var consumed = 0

        while true {
            var failure: Int32 = 0
            input.withUnsafeMutableBufferPointer { inBuffer in
                output.withUnsafeMutableBufferPointer { outBuffer in
                    var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress! + consumed)
                        .assumingMemoryBound(to: CChar.self)
                    var inLeft = inBuffer.count - consumed
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress! + produced)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuffer.count - produced
                    let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                    if result == -1 { failure = errno }
                    consumed = inBuffer.count - inLeft
                    produced = outBuffer.count - outLeft
                }
            }
            switch failure {
            case 0:
                output.removeSubrange(produced...)
                return .success(output)
            case E2BIG:
                output.append(contentsOf: repeatElement(0, count: output.count))
            default:
                // EILSEQ, EINVAL, or anything unexpected: the input is not GBK here.
                return .failure(Failure(offset: consumed))
            }
        }
    }
}
