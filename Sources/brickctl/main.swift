import BrickctlCommands

await Brickctl.run()
