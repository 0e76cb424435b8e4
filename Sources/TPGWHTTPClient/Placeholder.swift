// Placeholder until the TPGWHTTPClient issue lands.
package enum TPGWHTTPClientModule { package static let name = "TPGWHTTPClient" }
