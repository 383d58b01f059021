import MeshKit
import Synchronization

/// Answers Dapr's health endpoints for a server and its mesh, as a Dapr sidecar answers them
/// (dapr/dapr `pkg/api/http/healthz.go`): 204 when ready, otherwise 500 with Dapr's error JSON
/// (`ERR_HEALTH_NOT_READY`, `ERR_OUTBOUND_HEALTH_NOT_READY`, from `pkg/messages/predefined.go`).
///
/// - `/v1.0/healthz` is ready while the mesh runs (``MeshPhase/running``) and the server has
///   not begun a graceful shutdown; daprd likewise reports ready only once its runtime has
///   initialized, and not ready once its API servers begin to close. With an `appid` query that
///   is not the mesh's app ID it answers 500 (`ERR_HEALTH_APPID_NOT_MATCH`), as daprd does.
/// - `/v1.0/healthz/outbound` is ready from the start, since a mesh's components are loaded when
///   it is created (daprd reports outbound ready once its components are loaded, before its app
///   is), until a shutdown of the mesh or the server begins.
final class ServerHealth: Sendable {
    private let mesh: Mesh
    private let isShuttingDown = Atomic(false)

    init(mesh: Mesh) {
        self.mesh = mesh
    }

    /// Marks the server as shutting down: both endpoints answer not ready from now on.
    func shutdownBegan() {
        isShuttingDown.store(true, ordering: .relaxed)
    }

    /// The answer to `/v1.0/healthz`, with the request's `appid` query value, if any.
    func inbound(appID: String?) -> InvocationResponse {
        let phase = mesh.phase
        guard phase == .running, !isShuttingDown.load(ordering: .relaxed) else {
            let target = phase == .starting ? "starting" : "shutting down"
            return .error(daprCode: "ERR_HEALTH_NOT_READY", "dapr is not ready: [\(target)]", status: .internalServerError)
        }
        if let appID, appID != mesh.appID {
            return .error(daprCode: "ERR_HEALTH_APPID_NOT_MATCH", "dapr app-id does not match", status: .internalServerError)
        }
        return InvocationResponse(status: .noContent)
    }

    /// The answer to `/v1.0/healthz/outbound`.
    func outbound() -> InvocationResponse {
        let phase = mesh.phase
        guard phase == .starting || phase == .running, !isShuttingDown.load(ordering: .relaxed) else {
            return .error(daprCode: "ERR_OUTBOUND_HEALTH_NOT_READY", "dapr outbound is not ready", status: .internalServerError)
        }
        return InvocationResponse(status: .noContent)
    }
}
