print("brickctl")
