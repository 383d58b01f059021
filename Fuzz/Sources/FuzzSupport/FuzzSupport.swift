import CFuzzDriver

/// The signature of `LLVMFuzzerTestOneInput`.
public typealias FuzzTest = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

/// Runs libFuzzer with the process arguments.
///
/// SwiftPM links an executable target with `main` renamed to `<Target>_main` (so tests can link
/// it), which hides libFuzzer's own `main`; each target therefore defines `<Target>_main` and
/// calls this, which hands over to libFuzzer's `LLVMFuzzerRunDriver`.
public func runLibFuzzer(
    _ argc: Int32,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ test: FuzzTest
) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, test)
}

/// The input as text, as a file would decode it (invalid UTF-8 repaired).
public func fuzzText(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> String {
    guard let bytes else { return "" }
    return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
}
