// DiskPreparation
