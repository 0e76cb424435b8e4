// Placeholder until the TPGWBCE issue lands.
package enum TPGWBCEModule { package static let name = "TPGWBCE" }
