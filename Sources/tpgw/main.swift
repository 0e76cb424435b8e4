import Foundation
import TPGWCore

print("tpgw 0.1.0")
