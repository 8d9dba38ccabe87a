// Fstab
