import XinyuFacilities
import XinyuPluginSDK

// xinyu-plugin-facilities: started and supervised by xinyu-host.
await PluginRuntime.run(FacilitiesPlugin())
