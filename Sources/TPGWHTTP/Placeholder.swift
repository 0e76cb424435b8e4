// Placeholder until the TPGWHTTP issue lands.
package enum TPGWHTTPModule { package static let name = "TPGWHTTP" }
