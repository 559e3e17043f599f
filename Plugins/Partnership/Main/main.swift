import XinyuPartnership
import XinyuPluginSDK

// xinyu-plugin-partnership: started and supervised by xinyu-host.
await PluginRuntime.run(PartnershipPlugin())
