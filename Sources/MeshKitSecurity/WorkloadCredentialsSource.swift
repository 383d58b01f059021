public import Foundation
public import Logging
public import MeshKit
public import ServiceLifecycle
import Synchronization

/// A workload's credentials that follow their files: rotation without a restart.
///
/// It loads the files once when created (failing with the error of
/// ``WorkloadCredentials/load(from:now:)``), then, while ``run()`` runs (as a `Service` in the
/// app's `ServiceGroup`), reads them again every ``pollInterval`` and, when their contents
/// changed and the new set passes every check, makes it ``current`` and bumps its generation.
/// A set that fails a check (a rotation caught half-way, say, with the new certificate and
/// the old key) is ignored and the previous one stays current; the same failure seen twice
/// in a row is logged as a warning, naming the file and never the key.
///
/// Servers and clients read ``snapshot`` when they open a connection, so new connections use
/// the new credentials and connections already open finish on the ones they started with.
public final class WorkloadCredentialsSource: Service, Sendable {
    /// A set of credentials and the generation it was loaded in (0 for the first, then 1, 2 …).
    public struct Snapshot: Sendable {
        /// The credentials.
        public let credentials: WorkloadCredentials
        /// How many times the credentials changed before this set.
        public let generation: Int
    }

    private struct State {
        var snapshot: Snapshot
        var lastFailure: String?
    }

    /// The files watched.
    public let files: WorkloadCredentialFiles
    /// How often the files are read again.
    public let pollInterval: Duration
    private let logger: Logger
    private let state: Mutex<State>

    /// Loads `files` now; ``run()`` watches them.
    public init(
        files: WorkloadCredentialFiles,
        pollInterval: Duration = .seconds(1),
        logger: Logger = Logger(label: "meshkit.security.credentials")
    ) throws(MeshError) {
        self.files = files
        self.pollInterval = pollInterval
        self.logger = logger
        self.state = Mutex(State(snapshot: Snapshot(credentials: try WorkloadCredentials.load(from: files), generation: 0)))
    }

    /// The credentials in force and their generation.
    public var snapshot: Snapshot { state.withLock { $0.snapshot } }

    /// The credentials in force.
    public var current: WorkloadCredentials { snapshot.credentials }

    /// Reads the files now; returns whether a new set became current.
    @discardableResult
    public func reload(now: Date = Date()) -> Bool {
        let previous = current
        let texts = [files.certificate, files.privateKey, files.trustBundle].map { try? String(contentsOf: $0, encoding: .utf8) }
        if texts[0] == previous.certificatePEM && texts[1] == previous.privateKeyPEM && texts[2] == previous.trustBundlePEM {
            return false
        }
        do {
            let credentials = try WorkloadCredentials.load(from: files, now: now)
            let generation = state.withLock { state in
                state.snapshot = Snapshot(credentials: credentials, generation: state.snapshot.generation + 1)
                state.lastFailure = nil
                return state.snapshot.generation
            }
            logger.info(
                "workload credentials rotated",
                metadata: [
                    "identity": "\(credentials.identity)", "serial": "\(credentials.certificate.serialNumber)",
                    "generation": "\(generation)",
                ]
            )
            return true
        } catch {
            let repeated = state.withLock { state in
                defer { state.lastFailure = error.description }
                return state.lastFailure == error.description
            }
            logger.log(
                level: repeated ? .warning : .debug,
                "the changed workload credentials were not loaded; the previous ones stay in force",
                metadata: ["error": "\(error)"]
            )
            return false
        }
    }

    /// Polls the files every ``pollInterval`` until cancelled or a graceful shutdown.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: self.pollInterval)
                self.reload()
            }
        }
    }
}
