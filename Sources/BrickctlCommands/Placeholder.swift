// BrickctlCommands
