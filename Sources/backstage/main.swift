import BackstageCLI
import Foundation

exit(BlockingMain.run { await BackstageCommand.runMain() })
