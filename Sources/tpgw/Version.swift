/// The gateway's version, reported by `tpgw version`, `/metrics` and the status page.
enum TPGWVersion {
    static let current = "0.1.0"
}
