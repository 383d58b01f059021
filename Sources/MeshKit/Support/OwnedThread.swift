import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Threads MeshKit's modules own for blocking C work, kept off Swift's cooperative pool.
package enum OwnedThread {
    /// Starts a thread named `name` (`meshkit-…`, at most 15 characters, as Linux allows) that
    /// runs `body`, with a stack of `stackSize` bytes when given (Foundation's default otherwise).
    package static func start(named name: String, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            nameCurrentThread(name)
            body()
        }
        if let stackSize { thread.stackSize = stackSize }
        thread.start()
    }

    /// Names the calling thread. Foundation on Linux drops a name set before `start()`, and
    /// `Thread.current.name` set on the new thread races with `start()` returning, so the
    /// thread calls `pthread_setname_np` itself (which the Glibc module does not export).
    private static func nameCurrentThread(_ name: String) {
        #if canImport(Darwin)
            pthread_setname_np(name)
        #else
            guard let setName = setThreadName else { return }
            _ = setName(pthread_self(), name)
        #endif
    }

    #if !canImport(Darwin)
        private typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32
        private static let setThreadName: SetName? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_setname_np")
            .map { unsafeBitCast($0, to: SetName.self) }
    #endif
}
