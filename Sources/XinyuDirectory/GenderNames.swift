import XinyuCoreAPI

/// Genders as stored ("female") and as a spreadsheet writes them ("女").
enum GenderNames {
    static let hint = "男/女 or male/female"

    /// The stored name of a valid gender, nil for unspecified or unknown ones.
    static func storedName(_ gender: Xinyu_Directory_V1_Gender) -> String? {
        switch gender {
        case .female: "female"
        case .male: "male"
        case .unspecified, .UNRECOGNIZED: nil
        }
    }

    /// The gender for a stored name or a spreadsheet value; nil when it is neither.
    /// Digits are refused on purpose: China's GB/T 2261 codes (1 male, 2 female) are the
    /// opposite of the proto's numbers, and guessing wrong would be silent.
    static func parse(_ text: String) -> Xinyu_Directory_V1_Gender? {
        switch text.lowercased() {
        case "female", "f", "gender_female", "女": .female
        case "male", "m", "gender_male", "男": .male
        default: nil
        }
    }

    /// The problem with a gender sent through the API, or nil.
    static func problem(_ gender: Xinyu_Directory_V1_Gender) -> String? {
        switch gender {
        case .unspecified: "is required (female or male)"
        case .UNRECOGNIZED(let number): "\(number) is not a gender (female or male)"
        default: nil
        }
    }
}
