/// BCE regions that may offer shared traffic packages.
package enum Regions {
    package static let bce: [String] = ["bj", "gz", "su", "hkg", "fwh", "bd", "nj", "yq", "cd", "sin", "fsh"]
}
