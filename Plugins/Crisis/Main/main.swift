import XinyuCrisis
import XinyuPluginSDK

// xinyu-plugin-crisis: started and supervised by xinyu-host.
await PluginRuntime.run(CrisisPlugin())
