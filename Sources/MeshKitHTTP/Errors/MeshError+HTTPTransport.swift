public import MeshKit

extension MeshError {
    /// The precise transport failure behind this error, when the HTTP transport threw it.
    public var httpTransportError: HTTPTransportError? {
        underlying as? HTTPTransportError
    }

    /// Wraps a transport failure in the `MeshError` code the pipeline matches on: failures before
    /// the request was sent (DNS, refused, connect failure or timeout) are
    /// ``MeshError/Code/connectFailed``, which the pipeline retries even for POST; reset and TLS
    /// failures ``MeshError/Code/unavailable``; timeouts ``MeshError/Code/timeout``; cancellation
    /// ``MeshError/Code/cancelled``; a full connection queue ``MeshError/Code/tooManyRequests``,
    /// which is never retried; running out of descriptors or a response over the size limit
    /// ``MeshError/Code/resourceExhausted``, never retried either; an app with no endpoint
    /// ``MeshError/Code/appNotFound``; an unusable certificate file a DestinationRule names
    /// ``MeshError/Code/invalidConfiguration``.
    init(transport error: HTTPTransportError, appID: String) {
        let code: MeshError.Code =
            switch error.code {
            case .dnsFailure, .connectionRefused, .connectFailed, .connectTimeout: .connectFailed
            case .timeout: .timeout
            case .cancelled: .cancelled
            case .noEndpoints: .appNotFound
            case .poolOverflow: .tooManyRequests
            case .localResourcesExhausted, .responseTooLarge: .resourceExhausted
            case .invalidRequest, .httpStatus: .invocationFailed
            case .tlsFileUnusable: .invalidConfiguration
            default: .unavailable
            }
        self.init(code, "invoking '\(appID)' over HTTP failed: \(error.message)", context: .init(subject: appID), underlying: error)
    }
}
