extension RetryOn {
    /// Whether a call that failed with `code`, without an answer, is retried under these
    /// conditions, as Envoy reads its resets: a connection that could not be made is
    /// `connect-failure` (and `reset-before-request`); a reset or a per-try timeout is `reset`;
    /// `5xx` and `gateway-error` cover both. A pool overflow is never retried, as in Envoy.
    func retries(failure code: MeshError.Code) -> Bool {
        if conditions.contains(.serverError) || conditions.contains(.gatewayError) || conditions.contains(.reset) {
            if code == .connectFailed || code.isEndpointFailure { return true }
        }
        if code == .connectFailed {
            return conditions.contains(.connectFailure) || conditions.contains(.resetBeforeRequest)
        }
        return false
    }
}
