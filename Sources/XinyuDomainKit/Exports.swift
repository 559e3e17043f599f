// What a plugin's pure Core may use besides Foundation: calendar days, settings, CSV reading.
// The plugin SDK re-exports this module, so handlers see the same types.
@_exported import XinyuCSV
