import TPGWCore
import TPGWHTTP

/// Counts and times every request by method, route template (`NotFound` when no route matched) and status.
///
/// Errors thrown further in are counted with the status they will be rendered with, then rethrown.
package struct MetricsMiddleware: HTTPMiddleware {
    let requests: CounterFamily
    let durations: HistogramFamily

    package init(metrics: GatewayMetrics) {
        requests = metrics.httpRequests
        durations = metrics.httpRequestDuration
    }

    package func handle(_ request: HTTPRequest, _ context: RequestContext, next: HTTPHandler) async throws -> HTTPResponse {
        let started = ContinuousClock.now
        let route = context.routePattern ?? "NotFound"
        do {
            let response = try await next(request, context)
            record(request.method.rawValue, route, response.status.code, since: started)
            return response
        } catch let error as AppError {
            record(request.method.rawValue, route, APIError.status(for: error.code).code, since: started)
            throw error
        } catch let error as any HTTPResponseError {
            record(request.method.rawValue, route, error.response(requestID: context.requestID).status.code, since: started)
            throw error
        } catch {
            record(request.method.rawValue, route, 500, since: started)
            throw error
        }
    }

    private func record(_ method: String, _ route: String, _ status: Int, since started: ContinuousClock.Instant) {
        let labels = [method, route, String(status)]
        requests.counter(labels).increment()
        durations.histogram(labels).observe(ContinuousClock.now - started)
    }
}
