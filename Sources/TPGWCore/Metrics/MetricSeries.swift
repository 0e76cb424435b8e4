/// One labelled time series of a family (a counter, gauge or histogram) that can render itself.
///
/// Series pre-render their `name{labels}` prefix when they are made, so a scrape only appends
/// bytes and formats numbers.
package protocol MetricSeries: AnyObject, Sendable {
    /// Appends this series' sample lines.
    func render(into writer: inout PrometheusTextWriter)
}
