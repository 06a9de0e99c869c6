print("weavr-gateway")
