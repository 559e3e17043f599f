/// Gives back to the operating system the heap that start-up used and freed (migrations,
/// settings, start tasks). glibc keeps freed memory in its arenas for reuse and returns only
/// what sits at the top of each; `malloc_trim(0)` also releases the free pages inside them.
/// Start-up is the one burst a plugin has before it settles, so this runs once, after it
/// (docs/PERFORMANCE.md, "Idle RSS").
enum StartupMemory {
    static func release() {
        #if os(Linux)
        _ = glibcMallocTrim(0)
        #endif
    }
}

#if os(Linux)
/// glibc's `int malloc_trim(size_t pad)` (malloc.h, which the Glibc module does not export).
/// One integer argument and an integer result are passed alike by Swift and C on Linux.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
