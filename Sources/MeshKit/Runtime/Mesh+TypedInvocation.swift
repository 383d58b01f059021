public import Foundation
public import HTTPTypes

extension Mesh {
    /// Invokes a method and decodes its JSON answer with ``MeshConfiguration/jsonDecoder``.
    ///
    /// A non-2xx answer throws ``MeshError/Code/invocationFailed`` whose ``MeshError/response``
    /// carries the status and body, so a 404 is a `MeshError`, never a `DecodingError`; so does a
    /// 2xx answer whose body is not a `Response`.
    ///
    /// ```swift
    /// let product = try await mesh.invoke(appID: "product-service", method: "products/mug", httpMethod: .get, as: Product.self)
    /// ```
    public func invoke<Response: Decodable>(
        appID: String,
        method: String,
        httpMethod: HTTPRequest.Method = .post,
        body: Data = Data(),
        headers: HTTPFields = [:],
        query: [URLQueryItem] = [],
        idempotent: Bool? = nil,
        as type: Response.Type
    ) async throws -> Response {
        let response = try await invoke(
            appID: appID,
            method: method,
            httpMethod: httpMethod,
            body: body,
            headers: headers,
            query: query,
            idempotent: idempotent
        )
        return try response.successful(appID: appID, method: method)
            .decodeAnswer(type, appID: appID, method: method, decoder: configuration.jsonDecoder)
    }

    /// Invokes a method with a JSON body (``MeshConfiguration/jsonEncoder``) and decodes its JSON
    /// answer, throwing as the variant with a `Data` body does.
    public func invoke<Body: Encodable, Response: Decodable>(
        appID: String,
        method: String,
        httpMethod: HTTPRequest.Method = .post,
        value: Body,
        headers: HTTPFields = [:],
        query: [URLQueryItem] = [],
        idempotent: Bool? = nil,
        as type: Response.Type
    ) async throws -> Response {
        let response = try await invoke(
            appID: appID,
            method: method,
            httpMethod: httpMethod,
            value: value,
            headers: headers,
            query: query,
            idempotent: idempotent
        )
        return try response.successful(appID: appID, method: method)
            .decodeAnswer(type, appID: appID, method: method, decoder: configuration.jsonDecoder)
    }

    /// Invokes a method whose answer has no body the caller needs: returns on a 2xx answer and
    /// throws ``MeshError/Code/invocationFailed`` carrying the response on any other.
    public func invoke(
        appID: String,
        method: String,
        httpMethod: HTTPRequest.Method = .post,
        body: Data = Data(),
        headers: HTTPFields = [:],
        query: [URLQueryItem] = [],
        idempotent: Bool? = nil,
        as type: Void.Type
    ) async throws {
        _ = try await invoke(
            appID: appID,
            method: method,
            httpMethod: httpMethod,
            body: body,
            headers: headers,
            query: query,
            idempotent: idempotent
        ).successful(appID: appID, method: method)
    }

    /// Invokes a method with a JSON body whose answer has no body the caller needs, throwing as
    /// the variant with a `Data` body does.
    public func invoke<Body: Encodable>(
        appID: String,
        method: String,
        httpMethod: HTTPRequest.Method = .post,
        value: Body,
        headers: HTTPFields = [:],
        query: [URLQueryItem] = [],
        idempotent: Bool? = nil,
        as type: Void.Type
    ) async throws {
        _ = try await invoke(
            appID: appID,
            method: method,
            httpMethod: httpMethod,
            value: value,
            headers: headers,
            query: query,
            idempotent: idempotent
        ).successful(appID: appID, method: method)
    }
}
