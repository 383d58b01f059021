import Foundation

extension InvocationResponse {
    /// The response itself when its status is 2xx; otherwise throws
    /// ``MeshError/Code/invocationFailed`` carrying it in ``MeshError/response``, with a message
    /// that names the app, the method, the status and the start of the body.
    public func successful(appID: String, method: String) throws(MeshError) -> InvocationResponse {
        guard isSuccess else {
            let preview = String(decoding: body.prefix(Self.previewLength), as: UTF8.self)
            throw MeshError(
                .invocationFailed,
                "'\(appID)' answered \(status.code) \(status.reasonPhrase) to '\(method)'\(preview.isEmpty ? "" : ": \(preview)")",
                context: .init(subject: appID),
                response: self
            )
        }
        return self
    }

    /// Decodes the body of a successful response as JSON with `decoder`; a body that does not
    /// decode throws ``MeshError/Code/invocationFailed`` carrying the response, never a bare
    /// `DecodingError`.
    func decodeAnswer<Value: Decodable>(_ type: Value.Type, appID: String, method: String, decoder: JSONDecoder) throws(MeshError) -> Value
    {
        do {
            return try decoder.decode(type, from: body)
        } catch {
            throw MeshError(
                .invocationFailed,
                "the answer of '\(appID)' to '\(method)' is not a \(type): \((error as? DecodingError)?.inputDescription ?? "\(error)")",
                context: .init(subject: appID),
                underlying: error,
                response: self
            )
        }
    }

    /// How much of a failed answer's body its error message quotes.
    static let previewLength = 256
}
