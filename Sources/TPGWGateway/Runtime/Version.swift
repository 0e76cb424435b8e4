/// The gateway's version, reported by `tpgw version`, `/metrics` and the status page.
package enum TPGWVersion {
    package static let current = "0.1.0"
}
