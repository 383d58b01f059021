import Foundation
import HTTPTypes
import Logging
import MeshKit

/// The checks a request passes before the app's code runs: the API token, when the server
/// requires one, then the mesh's ``Authorizer`` (Istio `AuthorizationPolicy` and Dapr
/// `accessControl`) on the caller's verified identity. ``MeshHTTPServer`` and ``DaprHTTPAPI``
/// run the same checks.
struct InboundAuthorization: Sendable {
    let authorizer: Authorizer
    let apiToken: APIToken?
    let logger: Logger

    /// The body Envoy answers a request its RBAC filter denies, with status 403.
    static let rbacDenied = "RBAC: access denied"

    /// A 401 answer when the server requires an API token and `headers` do not carry it in
    /// `dapr-api-token` (the first such field, as Dapr reads it), or `nil`. Health checks need no
    /// token, as in Dapr.
    func tokenRefusal(_ headers: HTTPFields, path: InvocationPath) -> InvocationResponse? {
        guard let apiToken, path != .health, path != .outboundHealth else { return nil }
        guard !apiToken.matches(headers[fields: .daprAPIToken].first?.value) else { return nil }
        return .error(.invalidConfiguration, "invalid api token", status: .unauthorized).withErrorCode("ERR_UNAUTHORIZED")
    }

    /// A 403 answer when authorization denies a request, or `nil` to let it run: `method` as
    /// the request line gives it, `path` normalized (``AuthorizationPath/normalize(_:)``), `host`
    /// the request's `Host` (or `:authority`), from `caller`.
    func refusal(method: String, path: String, headers: HTTPFields, host: String?, caller: InboundCaller) -> InvocationResponse? {
        guard !authorizer.isEmpty else { return nil }
        var subject = AuthorizationRequest(
            sourceIP: caller.address,
            method: method,
            path: path,
            port: caller.localPort,
            host: host,
            headers: headers
        )
        if let identity = caller.identity { subject.setPeer(spiffeID: identity.spiffeID.uri) }
        let decision = authorizer.decide(subject)
        if decision.audited {
            logger.info(
                "audited call",
                metadata: ["method": "\(subject.method)", "path": "\(subject.path)", "principal": "\(subject.principal ?? "")"]
            )
        }
        switch decision.outcome {
        case .allow:
            return nil
        case .deniedByPolicy, .notAllowed:
            logger.debug("call denied by an AuthorizationPolicy", metadata: ["outcome": "\(decision.outcome)", "path": "\(subject.path)"])
            return .text(Self.rbacDenied, status: .forbidden)
        case .deniedByAccessControl:
            let message =
                "access control policy has denied access to appid: \(subject.callerAppID ?? "") operation: \(subject.path.dropFirst()) verb: \(subject.method)"
            logger.debug("call denied by Dapr accessControl", metadata: ["path": "\(subject.path)"])
            return .error(.invocationFailed, message, status: .forbidden).withErrorCode("ERR_PERMISSION_DENIED")
        }
    }
}

extension InvocationResponse {
    /// The same Dapr error answer with `errorCode` replaced.
    fileprivate func withErrorCode(_ code: String) -> InvocationResponse {
        guard var object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return self }
        object["errorCode"] = code
        var copy = self
        copy.body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? body
        return copy
    }
}
