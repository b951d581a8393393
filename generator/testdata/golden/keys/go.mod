module example.com/keys
