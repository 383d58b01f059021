import Foundation
public import HTTPTypes

extension InvocationResponse {
    /// An error answer in Dapr's format: `{"errorCode": "ERR_…", "message": "…"}` as
    /// `application/json`, with `code`'s ``MeshError/Code/daprCode``.
    ///
    /// The message goes to the caller as it is: it must say what went wrong in the caller's
    /// terms and carry no internal detail.
    public static func error(_ code: MeshError.Code, _ message: String, status: HTTPResponse.Status) -> InvocationResponse {
        error(daprCode: code.daprCode, message, status: status)
    }

    /// An error answer in Dapr's format with an error code of Dapr's that no
    /// ``MeshError/Code`` stands for, such as `ERR_HEALTH_NOT_READY`.
    public static func error(daprCode: String, _ message: String, status: HTTPResponse.Status) -> InvocationResponse {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        let body = (try? errorEncoder.encode(DaprErrorBody(errorCode: daprCode, message: message))) ?? Data()
        return InvocationResponse(status: status, headers: headers, body: body)
    }

    private struct DaprErrorBody: Encodable {
        var errorCode: String
        var message: String
    }

    private static let errorEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
