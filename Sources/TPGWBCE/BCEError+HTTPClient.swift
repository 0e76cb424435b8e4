import TPGWCore
import TPGWHTTPClient

extension BCEError {
    /// Builds the error for a transport failure, of the kind its `HTTPClientError.failure` names.
    package init(_ error: HTTPClientError, source: SourceID, operation: String) {
        let kind: Kind = switch error.failure {
        case .timeout: .timeout
        case .connection: .connection
        case .client: .client
        }
        self.init(kind: kind, source: source, operation: operation, message: error.description, curlCode: error.curlCode)
    }
}
