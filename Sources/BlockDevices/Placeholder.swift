// BlockDevices
