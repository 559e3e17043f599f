import XinyuHomeschool
import XinyuPluginSDK

// xinyu-plugin-homeschool: started and supervised by xinyu-host.
await PluginRuntime.run(HomeschoolPlugin())
