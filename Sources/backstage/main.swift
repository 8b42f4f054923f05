import BackstageCLI
import Foundation

exit(BackstageCommand.main())
