// What a plugin's pure Core may use besides Foundation: calendar days in the city (CityCalendar,
// DueWindow), stored enumerations (StoredEnum), settings (SettingsTable), CSV reading.
// The plugin SDK re-exports this module, so handlers see the same types.
@_exported import XinyuCSV
