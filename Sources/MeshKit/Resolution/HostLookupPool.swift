import Foundation

/// A small, bounded pool of threads MeshKit owns that run blocking host lookups
/// (`getaddrinfo`), so Swift's cooperative pool never blocks on DNS.
///
/// - At most `maxThreads` lookups run at once; further names wait their turn, first come
///   first served. A name that stalls holds one thread, not the others.
/// - Callers asking for a name that is already queued or being looked up share that lookup.
/// - A cancelled caller returns at once with `CancellationError`. A lookup already running
///   finishes on its thread and its result is dropped; a queued one nobody waits for any more
///   is discarded.
/// - Threads start on demand, named `meshkit-dns-N`, and exit after `idleTimeout` without
///   work, so an idle process keeps none and nothing starts at import time.
final class HostLookupPool: @unchecked Sendable {
    /// The blocking lookup: a host name in, numeric addresses out.
    typealias Resolve = @Sendable (String) throws -> [String]

    /// The pool behind ``HostLookup/system``: four threads, each ending after ten idle seconds.
    static let shared = HostLookupPool(maxThreads: 4, idleTimeout: .seconds(10)) { host in
        try SystemHostLookup.addresses(of: host)
    }

    /// One name being looked up, and everyone waiting for it.
    private final class Job {
        let host: String
        var waiters: [UInt64: CheckedContinuation<[String], any Error>] = [:]
        var isRunning = false

        init(host: String) { self.host = host }
    }

    private let resolve: Resolve
    private let idleTimeout: TimeInterval
    /// Guards every property below it, and wakes idle threads.
    private let condition = NSCondition()
    /// Jobs not started yet, oldest first.
    private var queue: [Job] = []
    /// Queued and running jobs by host name, so a second caller joins the first one's lookup.
    private var jobs: [String: Job] = [:]
    /// The job each waiting caller belongs to, for cancellation.
    private var jobOfWaiter: [UInt64: Job] = [:]
    private var nextWaiter: UInt64 = 0
    /// Which thread numbers are taken: a thread's name reuses the lowest free one, so names stay
    /// within Linux's 15 characters.
    private var slots: [Bool]
    private var idleThreads = 0

    /// A pool of at most `maxThreads` threads, each ending after `idleTimeout` without work.
    init(maxThreads: Int, idleTimeout: Duration, resolve: @escaping Resolve) {
        self.slots = Array(repeating: false, count: max(1, maxThreads))
        let (seconds, attoseconds) = idleTimeout.components
        self.idleTimeout = Double(seconds) + Double(attoseconds) / 1e18
        self.resolve = resolve
    }

    /// The number of threads alive.
    var threadCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return slots.count { $0 }
    }

    /// The addresses of `host`, looked up on one of the pool's threads.
    func addresses(of host: String) async throws -> [String] {
        let waiter = newWaiter()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                condition.lock()
                // A cancellation that ran its handler before this point finds no waiter to
                // resume, but it has already set the task's flag.
                guard !Task.isCancelled else {
                    condition.unlock()
                    continuation.resume(throwing: CancellationError())
                    return
                }
                enqueue(host, waiter: waiter, continuation)
                condition.unlock()
            }
        } onCancel: {
            cancel(waiter)
        }
    }

    private func newWaiter() -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        nextWaiter += 1
        return nextWaiter
    }

    /// Adds a waiter to `host`'s job, making the job and starting a thread when needed. Called
    /// with the lock held.
    private func enqueue(_ host: String, waiter: UInt64, _ continuation: CheckedContinuation<[String], any Error>) {
        if let job = jobs[host] {
            job.waiters[waiter] = continuation
            jobOfWaiter[waiter] = job
            return
        }
        let job = Job(host: host)
        job.waiters[waiter] = continuation
        jobOfWaiter[waiter] = job
        jobs[host] = job
        queue.append(job)
        if queue.count > idleThreads, let slot = slots.firstIndex(of: false) {
            slots[slot] = true
            OwnedThread.start(named: "meshkit-dns-\(slot)") { [self] in work(slot: slot) }
        } else {
            condition.broadcast()
        }
    }

    private func cancel(_ waiter: UInt64) {
        condition.lock()
        guard let job = jobOfWaiter.removeValue(forKey: waiter), let continuation = job.waiters.removeValue(forKey: waiter) else {
            condition.unlock()
            return
        }
        if job.waiters.isEmpty && !job.isRunning {
            queue.removeAll { $0 === job }
            jobs[job.host] = nil
        }
        condition.unlock()
        continuation.resume(throwing: CancellationError())
    }

    /// A pool thread: runs queued jobs until none has come for `idleTimeout`.
    private func work(slot: Int) {
        condition.lock()
        while true {
            guard queue.isEmpty else {
                let job = queue.removeFirst()
                job.isRunning = true
                condition.unlock()
                let result = Result { try resolve(job.host) }
                condition.lock()
                if jobs[job.host] === job { jobs[job.host] = nil }
                let waiters = job.waiters
                job.waiters = [:]
                for waiter in waiters.keys { jobOfWaiter[waiter] = nil }
                condition.unlock()
                for continuation in waiters.values { continuation.resume(with: result) }
                condition.lock()
                continue
            }
            idleThreads += 1
            let woken = condition.wait(until: Date(timeIntervalSinceNow: idleTimeout))
            idleThreads -= 1
            if !woken && queue.isEmpty {
                slots[slot] = false
                condition.unlock()
                return
            }
        }
    }
}
