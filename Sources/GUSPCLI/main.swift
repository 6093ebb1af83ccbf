print("gusp")
