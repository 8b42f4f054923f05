import BackstageCLI
import Foundation

exit(await BackstageCommand.runMain())
