/// The Prometheus metric types tpgw exposes, spelled as in the `# TYPE` line.
package enum MetricType: String, Sendable {
    case counter
    case gauge
    case histogram
}
