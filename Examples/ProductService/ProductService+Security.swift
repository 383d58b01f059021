import ArgumentParser
import Foundation
import Logging
import MeshKit
import MeshKitSecurity

extension ProductService {
    /// The watched credentials of `--tls-cert`, `--tls-key` and `--tls-bundle`; `nil` without them.
    func securityCredentials(logger: Logger) throws -> WorkloadCredentialsSource? {
        guard let tlsCert, let tlsKey, let tlsBundle else {
            if tlsCert != nil || tlsKey != nil || tlsBundle != nil {
                throw ValidationError("--tls-cert, --tls-key and --tls-bundle go together")
            }
            return nil
        }
        let files = WorkloadCredentialFiles(
            certificate: URL(fileURLWithPath: tlsCert),
            privateKey: URL(fileURLWithPath: tlsKey),
            trustBundle: URL(fileURLWithPath: tlsBundle)
        )
        return try WorkloadCredentialsSource(files: files, pollInterval: .milliseconds(tlsPollMs), logger: logger)
    }

    /// `app=host:port` pairs as static endpoints.
    static func parse(calls: [String]) throws -> [String: [Endpoint]] {
        var endpoints: [String: [Endpoint]] = [:]
        for call in calls {
            let parts = call.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let colon = parts[1].lastIndex(of: ":"), let port = Int(parts[1][parts[1].index(after: colon)...])
            else {
                throw ValidationError("--call is app=host:port, not '\(call)'")
            }
            endpoints[String(parts[0]), default: []].append(Endpoint(host: String(parts[1][..<colon]), port: port))
        }
        return endpoints
    }

    /// `peer` answers the caller's verified SPIFFE ID; `relay/{app}` calls that app's `peer`.
    static func registerSecurityHandlers(on mesh: Mesh) {
        mesh.handleInvocation("peer") { request in
            .text(request.peerIdentity?.spiffeID.uri ?? "none")
        }
        mesh.handleInvocation("relay/{app}") { request in
            let app = request.pathParameters["app"] ?? ""
            let response = try await mesh.invoke(appID: app, method: "peer", httpMethod: .get)
            return .text(String(decoding: response.body, as: UTF8.self), status: response.status)
        }
    }
}
