import XinyuPluginSDK
import XinyuTraining

// xinyu-plugin-training: started and supervised by xinyu-host.
await PluginRuntime.run(TrainingPlugin())
