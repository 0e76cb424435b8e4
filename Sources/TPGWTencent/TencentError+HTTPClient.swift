import TPGWCore
import TPGWHTTPClient

extension TencentError {
    /// Builds the error for a transport failure.
    package init(_ error: HTTPClientError, source: SourceID, operation: String) {
        let kind: Kind
        switch error.kind {
        case .timeout: kind = .timeout
        case .connect, .transport, .forbiddenAddress: kind = .connection
        case .responseTooLarge, .invalidRequest, .shutdown: kind = .client
        }
        self.init(kind: kind, source: source, operation: operation, message: error.description, curlCode: error.curlCode)
    }
}
