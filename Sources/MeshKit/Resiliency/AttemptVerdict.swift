/// How a call's filters read the result of one attempt that returned (rather than threw).
public enum AttemptVerdict: Sendable, Equatable {
    /// Done: no retry, and a success for the circuit breaker.
    case success
    /// A failure the retry policy may retry (after at least `retryAfter`, when the peer said so),
    /// and a failure for the circuit breaker. When no retry follows, the result is returned as is.
    case failure(retryAfter: Duration?)
}

extension MeshError.Code {
    /// Whether an error with this code says something about the backend's health: it counts as a
    /// failure for circuit breakers and may be retried. Errors about the request itself (a bad key,
    /// an ETag conflict, an unknown component) are answers, not failures.
    var isTransient: Bool {
        switch self {
        case .unavailable, .timeout, .connectFailed, .stateGet, .stateSave, .stateDelete, .stateTransaction,
            .pubsubPublish, .invocationFailed, .deadlineExceeded, .faultInjected:
            true
        default:
            false
        }
    }
}

extension Error {
    /// Whether the failure is transient (see ``MeshError/Code/isTransient``); errors MeshKit does not
    /// know are treated as transient, as Dapr retries every error.
    var isTransientFailure: Bool {
        if self is CancellationError, Task.isCancelled { return false }
        guard let meshError = self as? MeshError else { return true }
        return meshError.code.isTransient
    }

    /// Whether the request provably never reached the peer, so that even a non-idempotent call may
    /// be retried.
    var requestWasNotSent: Bool {
        (self as? MeshError)?.code == .connectFailed
    }
}
