import CCurl
import Foundation
import MeshKit
import Synchronization

/// One libcurl multi handle and the one thread that drives it with `curl_multi_poll`.
///
/// Callers hand transfers over through a mutex-guarded command queue and wake the thread with
/// `curl_multi_wakeup`; every other libcurl call, and every C pointer, stays on the engine
/// thread. Connections live in the multi handle's cache and are reused by later transfers to
/// the same peer; HTTP/2 streams are multiplexed over one connection.
final class CurlEngine: Sendable {
    /// Settings of the multi handle and of every easy handle it makes.
    struct Settings: Sendable {
        var maxConnectionsPerHost: Int
        var maxCachedConnections: Int
        /// The most idle easy handles kept, per ``CurlTransfer/HandleKind``.
        var maxIdleHandles = 64
        /// A PEM file of the certificate authorities to trust; `nil` trusts the system's.
        var trustedCertificatesPath: String?
        /// Whether the transport has mesh mTLS: standard handles then trust only the blob each
        /// transfer sets and check SPIFFE IDs (see ``CurlTransfer/configureTLS(_:kind:trustedCertificatesPath:mutualTLS:share:)``).
        var mutualTLS = false
    }

    private enum Command: Sendable {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
    }

    private struct Queue {
        var commands: [Command] = []
        var isStopping = false
        var hasEnded = false
        /// Callers of ``stop()`` waiting for the thread to end.
        var endWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The multi handle: created in `init`, used only by the engine thread, except for
    /// `curl_multi_wakeup`, which libcurl allows from any thread.
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
    /// The share handle through which the engine's transfers share TLS sessions; used only by
    /// the engine thread (one thread, so it needs no lock callbacks).
    private nonisolated(unsafe) let share: UnsafeMutableRawPointer?
    private let queue = Mutex(Queue())
    private let settings: Settings
    /// The names of the peer certificates of the engine's connections; used only by the engine
    /// thread.
    private nonisolated(unsafe) let peerCertificates = PeerCertificateCache()

    init(settings: Settings, name: String = "meshkit-curl") throws(HTTPTransportError) {
        guard CurlGlobal.isInitialised, let multi = curl_multi_init() else {
            throw HTTPTransportError(.transportFailed, "libcurl could not be initialised")
        }
        self.multi = multi
        self.settings = settings
        self.share = curl_share_init()
        if let share { _ = meshkit_curl_share_setopt_share(share, CURL_LOCK_DATA_SSL_SESSION) }
        _ = meshkit_curl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        _ = meshkit_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, settings.maxConnectionsPerHost)
        _ = meshkit_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, settings.maxCachedConnections)
        OwnedThread.start(named: name) { [self] in run() }
    }

    /// Runs `request` and returns its response; cancelling the calling task aborts the transfer.
    func perform(_ request: CurlRequest) async throws -> CurlResponse {
        let transfer = CurlTransfer(request: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.setContinuation(continuation)
                submit(.add(transfer))
            }
        } onCancel: {
            if transfer.markCancelled() { submit(.cancel(transfer)) }
        }
    }

    /// Stops the thread without waiting for it: transfers in flight fail as cancelled, and the
    /// thread frees the multi handle as it ends.
    func requestStop() {
        queue.withLock { Self.requestStop(&$0, multi: multi) }
    }

    /// Stops the thread and returns once it has freed the multi handle and is ending; later
    /// calls return at once.
    func stop() async {
        await withCheckedContinuation { continuation in
            let hasEnded = queue.withLock { queue in
                guard !queue.hasEnded else { return true }
                queue.endWaiters.append(continuation)
                Self.requestStop(&queue, multi: multi)
                return false
            }
            if hasEnded { continuation.resume() }
        }
    }

    /// Wakes the thread under the lock, so the thread cannot have freed the multi handle yet: it
    /// frees it only after it has seen `isStopping` under the same lock.
    private static func requestStop(_ queue: inout Queue, multi: UnsafeMutableRawPointer) {
        guard !queue.isStopping else { return }
        queue.isStopping = true
        curl_multi_wakeup(multi)
    }

    private func submit(_ command: Command) {
        let accepted = queue.withLock { queue in
            guard !queue.isStopping else { return false }
            // Only the first command of a batch wakes the thread: it takes the whole queue at
            // once, and a wakeup before `curl_multi_poll` makes the poll return at once.
            if queue.commands.isEmpty { curl_multi_wakeup(multi) }
            queue.commands.append(command)
            return true
        }
        if !accepted, case .add(let transfer) = command {
            transfer.finish(.failure(HTTPTransportError(.cancelled, "the transport was shut down", url: transfer.request.url)))
        }
    }

    // MARK: Engine thread

    /// A new easy handle with the options every request of `kind` shares.
    private func newHandle(_ kind: CurlTransfer.HandleKind) -> UnsafeMutableRawPointer? {
        guard let easy = curl_easy_init() else { return nil }
        guard
            CurlTransfer.configure(
                easy,
                kind: kind,
                trustedCertificatesPath: settings.trustedCertificatesPath,
                mutualTLS: settings.mutualTLS,
                share: share
            )
        else {
            curl_easy_cleanup(easy)
            return nil
        }
        return easy
    }

    /// How often the thread looks for transfers past their deadline: libcurl (before 8.x) never
    /// times out a transfer queued for a connection (`CURLMOPT_MAX_HOST_CONNECTIONS`), so the
    /// thread does.
    private static let sweepMilliseconds: Int32 = 100
    private static let sweepInterval = Duration.milliseconds(sweepMilliseconds)

    private func run() {
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        // Idle handles by `CurlTransfer.HandleKind`, indexed by its raw value.
        var idleHandles: [[UnsafeMutableRawPointer]] = CurlTransfer.HandleKind.allCases.map { _ in [] }
        // The mesh credentials each standard handle holds (`CurlTransfer.heldMaterial`).
        var heldMaterial: [UnsafeMutableRawPointer: CurlTLS.Material] = [:]
        func cleanup(_ easy: UnsafeMutableRawPointer) {
            heldMaterial[easy] = nil
            curl_easy_cleanup(easy)
        }
        var running: Int32 = 0
        var queued: Int32 = 0
        var descriptors: Int32 = 0
        var nextSweep = ContinuousClock.now

        func release(_ transfer: CurlTransfer) {
            guard let easy = transfer.easy else { return }
            active[easy] = nil
            curl_multi_remove_handle(multi, easy)
            let kind = transfer.request.handleKind.rawValue
            transfer.detach()
            if idleHandles[kind].count < settings.maxIdleHandles {
                idleHandles[kind].append(easy)
            } else {
                cleanup(easy)
            }
        }

        while true {
            let (commands, isStopping) = queue.withLock { queue in
                defer { queue.commands.removeAll(keepingCapacity: true) }
                return (queue.commands, queue.isStopping)
            }
            for command in commands {
                switch command {
                case .add(let transfer):
                    if transfer.isCancelled {
                        transfer.finish(.failure(HTTPTransportError(.cancelled, "the task was cancelled", url: transfer.request.url)))
                        continue
                    }
                    do {
                        try transfer.readTLSFiles()
                    } catch {
                        transfer.finish(.failure(error))
                        continue
                    }
                    transfer.peerCertificates = peerCertificates
                    let kind = transfer.request.handleKind
                    guard let easy = idleHandles[kind.rawValue].popLast() ?? newHandle(kind) else {
                        transfer.finish(
                            .failure(HTTPTransportError(.transportFailed, "libcurl could not make a handle", url: transfer.request.url))
                        )
                        continue
                    }
                    transfer.heldMaterial = heldMaterial[easy]
                    guard transfer.attach(to: easy) else {
                        transfer.detach()
                        cleanup(easy)
                        transfer.finish(
                            .failure(
                                HTTPTransportError(.invalidRequest, "libcurl rejected an option of the request", url: transfer.request.url)
                            )
                        )
                        continue
                    }
                    heldMaterial[easy] = transfer.meshMaterial
                    active[easy] = transfer
                    curl_multi_add_handle(multi, easy)
                case .cancel(let transfer):
                    guard let easy = transfer.easy, active[easy] === transfer else { continue }
                    release(transfer)
                    transfer.finish(
                        .failure(
                            HTTPTransportError(.cancelled, "the task was cancelled; the transfer was aborted", url: transfer.request.url)
                        )
                    )
                }
            }
            if isStopping { break }

            curl_multi_perform(multi, &running)
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle, let transfer = active[easy] else {
                    continue
                }
                let result = transfer.result(for: meshkit_curl_msg_result(message))
                release(transfer)
                transfer.finish(result)
            }
            if !active.isEmpty, case let now = ContinuousClock.now, now >= nextSweep {
                nextSweep = now + Self.sweepInterval
                for transfer in active.values.filter({ $0.deadline <= now }) {
                    let result = transfer.result(for: CURLE_OPERATION_TIMEDOUT)
                    release(transfer)
                    transfer.finish(result)
                }
            }
            curl_multi_poll(multi, nil, 0, active.isEmpty ? 1000 : Self.sweepMilliseconds, &descriptors)
        }

        for transfer in Array(active.values) {
            release(transfer)
            transfer.finish(.failure(HTTPTransportError(.cancelled, "the transport was shut down", url: transfer.request.url)))
        }
        for easy in idleHandles.joined() { cleanup(easy) }
        curl_multi_cleanup(multi)
        if let share { curl_share_cleanup(share) }
        let leftovers = queue.withLock { queue in
            defer { queue.commands = [] }
            return queue.commands
        }
        for case .add(let transfer) in leftovers {
            transfer.finish(.failure(HTTPTransportError(.cancelled, "the transport was shut down", url: transfer.request.url)))
        }
        let endWaiters = queue.withLock { queue in
            queue.hasEnded = true
            defer { queue.endWaiters = [] }
            return queue.endWaiters
        }
        for waiter in endWaiters { waiter.resume() }
    }
}
