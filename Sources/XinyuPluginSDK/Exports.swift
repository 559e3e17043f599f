// What a plugin needs from the modules under the SDK, so that a plugin imports the SDK, its own
// API and Core, XinyuEventsAPI and GRDB, and nothing else (scripts/check-imports.py checks it).
@_exported import struct XinyuStore.NamedMigration
@_exported import struct XinyuWire.RPCError
@_exported import struct XinyuWire.StatusCode
@_exported import XinyuDomainKit
