import Testing
@testable import XinyuCrisisCore
