import BrickctlCommands

Brickctl.run()
